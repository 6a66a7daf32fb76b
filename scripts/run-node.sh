#!/usr/bin/env bash
# Runs a TypeScript entry point on a supported Node.js: the machine's own when it is 22 or newer, else Node.js 24
# from the npm registry's `node` package (scripts/node24.sh), so the quick start works on an older machine too.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$major" -lt 22 ]; then
  node_dir="$(bash "$root/scripts/node24.sh")"
  export PATH="$node_dir:$PATH"
fi
exec node --import tsx "$@"
