#!/usr/bin/env bash
# Prints the directory of a Node.js 24 binary: the machine's own when it is 24 or newer, else the npm registry's
# `node` package (fetched once into npm's cache by npx). Put it first on PATH to run a command on Node 24.
set -euo pipefail
required=24
major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$major" -ge "$required" ]; then
  dirname "$(command -v node)"
  exit 0
fi
binary="$(npx -y "node@$required" -p process.execPath)"
if [ ! -x "$binary" ]; then
  echo "node24: could not install Node.js $required from the npm registry's node package" >&2
  exit 1
fi
dirname "$binary"
