"""Command-line option checks: one function per kind of option, run before anything starts.

Numbers are checked by argparse `type=` functions (argparse then names the option and exits
2); paths are checked once the command line is parsed, by trying what the run will do
(create the folder, write a file in it) and undoing it, because permission bits say
nothing when running as root and only the file system knows about read-only mounts.
"""

from __future__ import annotations

import argparse
import errno
import math
import os
import random
import re
import stat
import time
from pathlib import Path

from .errors import UsageError
from .scenario import forms

#: the longest path and path component most file systems accept
PATH_MAX = 4096
NAME_MAX = 255
MAX_SECONDS = 7 * 24 * 3600.0
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def seconds(text: str) -> float:
    """argparse type: a positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text[:40]}' is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0 or value > MAX_SECONDS:
        raise argparse.ArgumentTypeError(
            f"'{text[:40]}' must be a positive, finite number of seconds up to a week, e.g. 30")
    return value


#: more journeys at once than this is a typo (each is a browser page or a phone call)
MAX_WORKERS = 256


def positive_int(text: str) -> int:
    """argparse type: a whole number from 1 to MAX_WORKERS."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text[:40]}' is not a whole number") from None
    if not 1 <= value <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"'{text[:40]}' must be from 1 to {MAX_WORKERS}")
    return value


def retries(text: str) -> int:
    """argparse type: a whole number of retries from 0 to 10."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text[:40]}' is not a whole number") from None
    if not 0 <= value <= 10:
        raise argparse.ArgumentTypeError(f"'{text[:40]}' must be from 0 to 10")
    return value


def non_empty(text: str) -> str:
    """argparse type: any text but the empty one."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def run_vars(option: str, pairs: list[str], secret: bool = False) -> dict[str, str]:
    """`NAME=VALUE` pairs as a dict; NAME must be a variable name (a secret's value is
    never echoed in an error)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not _VAR_NAME.match(name):
            shown = f"{name[:40]}{sep}…" if secret else pair[:80]
            raise UsageError(f"{option} '{shown}' must look like NAME=VALUE, NAME made of "
                             "letters, digits and _ (not starting with a digit)")
        if name.upper().endswith("_URL") and value:
            # ${BASE_URL}/ passes the scenario check because it starts with a variable;
            # the variable itself must then be a web address
            problem = forms.url(value)
            if problem:
                raise UsageError(f"{option} {name}: '{value[:80]}': {problem}")
        out[name] = value
    return out


def shard(option: str, text: str | None) -> None:
    """`i/n` with 1 <= i <= n, or `auto` (read from the CI engine's environment at plan time)."""
    if text is None or text.strip() == "auto":
        return
    m = re.fullmatch(r"\s*(\d{1,6})\s*/\s*(\d{1,6})\s*", text)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise UsageError(f"{option} '{text[:80]}' must look like 1/4 (shard 1 of 4)")


def _path_shape(option: str, raw: str) -> Path:
    if not raw.strip():
        raise UsageError(f"{option}: the path is empty; give a path such as ./audit")
    if "\0" in raw:
        raise UsageError(f"{option}: the path contains a NUL character")
    if len(os.fsencode(raw)) > PATH_MAX:
        raise UsageError(f"{option}: the path is {len(raw)} characters long; the most a path "
                         f"may have is {PATH_MAX}")
    long = [p for p in Path(raw).parts if len(os.fsencode(p)) > NAME_MAX]
    if long:
        raise UsageError(f"{option}: a folder or file name in the path is {len(long[0])} "
                         f"characters long; the most a name may have is {NAME_MAX}")
    return Path(raw)


def _kind(path: Path) -> str | None:
    """"folder", "file" or "other" (a device, a socket...) by one look, so that a folder
    another process makes or removes meanwhile is seen as one thing; None when missing."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:  # unreadable: the write check says why
        return "folder"
    return "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


#: Tries of the write check: another shopper checking the same new folder at the same
#: moment (shards of one run given one --out) may remove the folder it made in between;
#: each try waits a moment longer, at random, so that checks in step fall out of it.
PROBE_TRIES = 10


def _probe_dir(option: str, path: Path, shown: str) -> None:
    """Create `path` (and missing parents) and a file in it, then undo what was created."""
    for attempt in range(1, PROBE_TRIES + 1):
        try:
            _write_check(path)
            return
        except OSError as exc:
            if isinstance(exc, FileNotFoundError) and attempt < PROBE_TRIES:
                # a folder made and removed by a check running beside this one
                time.sleep(random.uniform(0, 0.002 * attempt))
                continue
            where = exc.filename or path
            raise UsageError(f"{option} {shown[:200]}: cannot write there: {_reason(exc)} "
                             f"({str(where)[:200]})") from None


def _write_check(path: Path) -> None:
    """One try of `_probe_dir`; a folder that appears meanwhile (made by another process)
    is used as it is and left there."""
    created: list[Path] = []
    try:
        missing = []
        p = path
        while not p.exists() and not p.is_symlink():
            missing.append(p)
            if p.parent == p:
                break
            p = p.parent
        for d in reversed(missing):
            try:
                d.mkdir()
            except FileExistsError:
                if _kind(d) not in ("folder", None):  # None: gone again (tried again)
                    raise
                continue
            created.append(d)
        probe = path / f".shopper-write-check-{os.getpid()}"
        with open(probe, "w", encoding="utf-8") as fh:
            fh.write("ok")
        probe.unlink()
    finally:
        for d in reversed(created):
            _remove_made(d)


def _remove_made(folder: Path) -> None:
    """Remove a folder the check made; one that another check is writing its file into is
    removed once that file is gone (a moment), one that a run has begun to fill is left."""
    for attempt in range(1, PROBE_TRIES + 1):
        try:
            folder.rmdir()
            return
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or attempt == PROBE_TRIES:
                return
            time.sleep(0.002)


def _no_file_above(option: str, raw: str, path: Path) -> None:
    """Refuse a path under a file (a folder cannot be made there)."""
    for parent in path.parents:
        if _kind(parent) in ("file", "other"):
            raise UsageError(f"{option} {raw[:200]}: {parent} is a file, not a folder")


def out_dir(option: str, raw: str) -> Path:
    """A folder the run can create and write into (not a file, not a device)."""
    path = _path_shape(option, raw)
    kind = _kind(path)
    if kind in ("file", "other"):
        kind = "a file" if kind == "file" else "not a folder (a device or special file)"
        raise UsageError(f"{option} {raw[:200]}: is {kind}; give a folder for the run")
    _no_file_above(option, raw, path)
    _probe_dir(option, path, raw)
    return path


def out_file(option: str, raw: str) -> Path:
    """A file the run can write (its folder writable; not a folder itself)."""
    path = _path_shape(option, raw)
    if path.is_dir():
        raise UsageError(f"{option} {raw[:200]}: is a folder; give a file name such as "
                         f"{(path / 'junit.xml')}")
    if path.exists() and not path.is_file():
        raise UsageError(f"{option} {raw[:200]}: is not a regular file (a device or special "
                         "file); give a file name such as junit.xml")
    if raw.endswith(("/", os.sep)):
        raise UsageError(f"{option} {raw[:200]}: ends with a '/'; give a file name")
    _no_file_above(option, raw, path)
    _probe_dir(option, path.parent, raw)
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"{option} {raw[:200]}: the file is not writable")
    return path


def in_dir(option: str, raw: str, must_contain: str | None = None) -> Path:
    """An existing folder to read (optionally one holding `must_contain`)."""
    path = _path_shape(option, raw)
    if not path.is_dir():
        raise UsageError(f"{option} {raw[:200]}: no such folder")
    if must_contain and not (path / must_contain).is_dir():
        raise UsageError(f"{option} {raw[:200]} is not a shopper run directory "
                         f"(no {must_contain}/ folder)")
    return path
