#!/usr/bin/env bash
# The whole test suite: dependencies, format + lint + types, the dashboard build, then every test.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/test-deps.sh
# The suite runs on Node.js 24 LTS (the README's supported version), installed from npm where the machine's is older.
node_dir="$(bash scripts/node24.sh)"
export PATH="$node_dir:$PATH"
echo "test: Node.js $(node --version)"
npx pnpm@10 run check
npx pnpm@10 --filter @trendlens/dashboard build

mkdir -p .local
# The Kafka tests start a local broker and leave it up for the next test file; stop it when the suite ends.
trap 'bash scripts/kafka.sh stop >/dev/null 2>&1 || true' EXIT
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.local/test-results.json "$@" || status=$?

# One closing line any CI can read: "tests: N passed, N failed".
node -e '
  const r = JSON.parse(require("fs").readFileSync(".local/test-results.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit "$status"
