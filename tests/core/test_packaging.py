"""The wheel holds every file shopper needs at run time (a non-editable install works).

`.ci/run` (scripts/check_wheel.sh) installs the wheel into a fresh virtualenv and runs the
demo from it; this test is the fast half: it builds the wheel from the tracked files and
compares its contents with the source tree, so a new template, static file or language pack
that the packaging misses fails here, with its name.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: where each source folder goes inside the wheel
MAPPED = {"shopper/": "shopper/", "reports/templates/": "shopper/templates/",
          "scenarios/": "shopper/examples/"}


def _tracked() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", *MAPPED],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        files = out.split()
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an sdist)
        files = [str(p.relative_to(ROOT)) for d in MAPPED for p in (ROOT / d).rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts]
    return sorted(f for f in files if (ROOT / f).is_file())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """A wheel built from a copy of the tracked files (the worktree stays clean)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    for f in [*_tracked(), "pyproject.toml", "setup.py", "MANIFEST.in", "README.md"]:
        (src / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, src / f)
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                           "--disable-pip-version-check", "-w", str(tmp / "dist"), str(src)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    [built] = (tmp / "dist").glob("shopper-*.whl")
    return zipfile.ZipFile(built)


def test_every_runtime_file_is_in_the_wheel(wheel):
    names = set(wheel.namelist())
    expected = []
    for f in _tracked():
        prefix = next(p for p in MAPPED if f.startswith(p))
        expected.append(MAPPED[prefix] + f[len(prefix):])
    missing = [f for f in expected if f not in names]
    assert not missing, f"missing from the wheel: {missing}"
    # the files that broke `shopper demo` when installed
    for needed in ("shopper/lab/chat/static/frame.js", "shopper/lab/templates/base.html",
                   "shopper/templates/index.html", "shopper/examples/web/track-order.yaml"):
        assert needed in names


def test_wheel_has_no_stray_files(wheel):
    stray = [n for n in wheel.namelist()
             if "__pycache__" in n or n.endswith((".pyc", ".pyo")) or n.startswith(("tests/", "bench/"))]
    assert not stray
    entry = wheel.read(next(n for n in wheel.namelist() if n.endswith("entry_points.txt")))
    assert b"shopper = shopper.cli:main" in entry
