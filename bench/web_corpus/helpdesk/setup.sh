#!/usr/bin/env bash
# Install django-helpdesk (open-source, from PyPI) into its own venv; idempotent.
# Usage: bash bench/web_corpus/helpdesk/setup.sh  -> prints the venv's python
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
VENV="${HELPDESK_VENV:-$ROOT/.cache/helpdesk-venv}"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import helpdesk" 2>/dev/null; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check "django-helpdesk==2.6.1" >&2
fi
echo "$VENV/bin/python"
