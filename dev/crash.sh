#!/usr/bin/env bash
# Crash proof (issue 12): the real filings-server killed with SIGKILL ROUNDS times (default 20) under six storing
# and two deleting clients; afterwards every acknowledged Store is present byte for byte, every acknowledged
# Delete absent, and SQLite's and FTS5's integrity checks pass. The suite runs the same test with 3 rounds.
# Usage: dev/crash.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
swift build --build-tests >/dev/null
FILINGS_CRASH_ROUNDS=${1:-20} swift test --skip-build --filter CrashTests
