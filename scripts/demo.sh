#!/usr/bin/env bash
# Set up, then shop the bundled lab company with scenarios/ and write shopper-report/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/shopper demo --out "${1:-shopper-report}"
