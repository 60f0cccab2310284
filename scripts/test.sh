#!/usr/bin/env bash
# Runs every test: unit tests beside the sources, integration tests, end-to-end suites (real
# processes on loopback, the real psql binary, s3rver). One node:test run, so one summary.
set -euo pipefail
cd "$(dirname "$0")/.."
export TRIBUTARY_LOG_LEVEL="${TRIBUTARY_LOG_LEVEL:-warn}"
mapfile -t files < <(find packages test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" --test-timeout=1200000 "${files[@]}"
