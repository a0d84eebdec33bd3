#!/usr/bin/env bash
# Set up shopper on a fresh machine: a Chromium, a virtualenv in .venv, the package + test deps.
# Idempotent: a second run only checks. Uses Playwright's own Chromium when it is installed,
# else Debian's/Ubuntu's `chromium` package (installed here when missing and we are root).
set -euo pipefail
cd "$(dirname "$0")/.."

have_browser() {
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
    || command -v google-chrome >/dev/null 2>&1 || [ -n "${SHOPPER_BROWSER:-}" ] \
    || ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-* >/dev/null 2>&1
}

if ! have_browser; then
  echo "setup: no Chromium found; installing the system package" >&2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "setup: please install Chromium (or run 'playwright install chromium'), then retry" >&2
    exit 1
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if ! .venv/bin/python -c "import shopper, pytest, pytest_asyncio, pytest_timeout, jsonschema" >/dev/null 2>&1 \
   || [ pyproject.toml -nt .venv/.installed ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
  touch .venv/.installed
fi
