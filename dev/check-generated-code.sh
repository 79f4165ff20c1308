#!/usr/bin/env bash
# Fails when the committed generated code differs from what the schema in
# Protos/ generates now (someone edited a .proto and did not regenerate, or
# edited a generated file by hand).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dev/generate-protos.sh
if ! git diff --exit-code --stat -- Sources/CFilingsProto Sources/FilingsCore/Generated Clients/python/src/filings_client/_proto; then
    echo "generated code is out of date: run dev/generate-protos.sh and commit the result" >&2
    exit 1
fi
untracked=$(git ls-files --others --exclude-standard -- Sources/CFilingsProto Sources/FilingsCore/Generated Clients/python/src/filings_client/_proto)
if [ -n "$untracked" ]; then
    echo "generated files are not committed:" >&2
    echo "$untracked" >&2
    exit 1
fi
echo "generated code is up to date"
