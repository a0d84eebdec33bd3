#!/usr/bin/env bash
# Build the sdist and the wheel (the wheel from the sdist, as pip would), install the wheel
# into a fresh virtualenv (not editable, no checkout on the path) and use it as a user would:
# `shopper validate scenarios/` and `shopper demo`, then check the report names findings.
# Usage: bash scripts/check_wheel.sh [WORK_DIR]   (default: a temporary folder, removed after)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python3}
if [ -n "${1:-}" ]; then WORK=$1; mkdir -p "$WORK"; else
  WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT; fi
say() { echo "check_wheel: $*"; }
fail() { echo "check_wheel: FAILED: $*" >&2; exit 1; }

say "building sdist and wheel"
"$PY" -m venv "$WORK/tools"
"$WORK/tools/bin/python" -m pip install -q --disable-pip-version-check build 2>&1 | grep -v '^WARNING: Location' || true
"$WORK/tools/bin/python" -m build -q -o "$WORK/dist" "$ROOT" >"$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log" >&2; fail "python -m build"; }
WHEEL=$(ls "$WORK"/dist/*.whl)
SDIST=$(ls "$WORK"/dist/*.tar.gz)
say "built $(basename "$SDIST") and $(basename "$WHEEL")"

say "installing the wheel into a fresh virtualenv"
"$PY" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q --disable-pip-version-check "$WHEEL" 2>&1 \
  | grep -v '^WARNING: Location' || true
"$WORK/venv/bin/python" -m pip show -q shopper >/dev/null || fail "shopper is not installed"

# Run from an empty folder, so nothing of the checkout can be imported or found by accident.
mkdir -p "$WORK/cwd"
cd "$WORK/cwd"
LOCATION=$("$WORK/venv/bin/python" -c 'import shopper, os; print(os.path.dirname(shopper.__file__))')
case "$LOCATION" in "$WORK/venv/"*) ;; *) fail "shopper imported from $LOCATION, not the venv";; esac
say "shopper installed at $LOCATION ($(find "$LOCATION" -type f ! -name '*.py' ! -path '*__pycache__*' | wc -l) data files)"

"$WORK/venv/bin/shopper" validate "$ROOT/scenarios" || fail "shopper validate scenarios/"
"$WORK/venv/bin/shopper" validate "$LOCATION/examples" || fail "shopper validate (bundled examples)"

say "running shopper demo from the installed wheel"
set +e
"$WORK/venv/bin/shopper" demo --out "$WORK/report" >"$WORK/demo.log" 2>&1
code=$?
set -e
cat "$WORK/demo.log"
grep -q "Traceback" "$WORK/demo.log" && fail "shopper demo printed a traceback"
[ "$code" = 0 ] || fail "shopper demo exited $code"
[ -s "$WORK/report/index.html" ] || fail "no report at $WORK/report/index.html"
"$WORK/venv/bin/python" - "$WORK/report" <<'PY' || fail "the report does not name findings"
import json, sys
from pathlib import Path
run = Path(sys.argv[1])
from shopper.report import load_results
results = load_results(run)
codes = sorted({f["code"] for j in results["journeys"] for f in j.get("findings", [])})
html = (run / "index.html").read_text()
assert results["summary"]["journeys"] > 0, "no journeys"
assert codes, "no findings in results.json"
assert "Dead end" in html, "the index does not show dead ends"
for j in results["journeys"]:
    page = (run / "journeys" / Path(j["folder"]).name / "index.html").read_text()
    absent = [f["code"] for f in j.get("findings", []) if f["code"] not in page]
    assert not absent, f"{j['id']}: findings {absent} not named on its page"
print(f"check_wheel: report: {results['summary']['journeys']} journeys, "
      f"{sum(len(j.get('findings', [])) for j in results['journeys'])} findings: {', '.join(codes)}")
PY
say "OK"
