#!/usr/bin/env bash
# Health calls/s from the Python client (Clients/python): 1 connection x 64 calls in flight, blocking client and
# asyncio client, against a release filings-server on this machine.
#
#   dev/bench-python.sh [SECONDS] [IN_FLIGHT]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-10}
in_flight=${2:-64}
# shellcheck source=dev/lib/server.sh
source dev/lib/server.sh
[ -x .build/release/filings-server ] || build_release
venv=${FILINGS_PYTHON_VENV:-.build/python-venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -e Clients/python
log=$(mktemp)
start_server "$log" --store none
trap 'kill $server 2>/dev/null || true; rm -f $log' EXIT
"$venv/bin/python" Clients/python/benchmarks/health.py --addr "$addr" --in-flight "$in_flight" --seconds "$seconds"
