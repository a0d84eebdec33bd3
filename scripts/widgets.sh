#!/usr/bin/env bash
# Fetch the real chat widgets of the widget corpus (bench/widget_corpus) with npm, once.
# Each package's tarball is unpacked into a cache folder (default .cache/widgets); a package
# already there is skipped, so tests and the bench can call this every time.
# Prints the cache folder; exits 1 when npm is missing or a package cannot be fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${SHOPPER_WIDGET_CACHE:-$PWD/.cache/widgets}
PACKAGES=(
  "flowise-embed@3.1.6"
  "@typebot.io/js@0.9.24"
  "@voiceflow/react-chat@1.65.2"
  "@n8n/chat@0.27.1"
)
mkdir -p "$CACHE"
for spec in "${PACKAGES[@]}"; do
  name=${spec%@*}
  dir="$CACHE/${name//\//__}"
  [ -f "$dir/.done" ] && continue
  command -v npm >/dev/null || { echo "widgets: npm is needed to fetch $spec" >&2; exit 1; }
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>&1) \
    || { echo "widgets: npm could not fetch $spec" >&2; rm -rf "$tmp"; exit 1; }
  rm -rf "$dir" && mkdir -p "$dir"
  tar xzf "$tmp"/*.tgz -C "$dir" --strip-components=1
  echo "$spec" > "$dir/.done"
  rm -rf "$tmp"
done
echo "$CACHE"
