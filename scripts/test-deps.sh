#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages: Debian's Chromium and kcat, and the
# Apache Kafka broker's jars (from Maven Central) for the ingest tests. Safe to run again; it skips what is there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# Debian package names of the programs the tests call: Chromium for the browser tests, kcat as the Kafka client
# nobody on the project wrote (fault tests), Noto CJK so the Chinese screenshots render.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-noto-cjk)
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-deps: installing ${missing[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "test-deps: the tests need ${missing[*]} (Debian: apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
  echo "test-deps: the ingest tests run a real Kafka broker, which needs Java 17+ and Maven" >&2
  exit 1
fi
"$root/scripts/kafka.sh" fetch
