#!/usr/bin/env bash
# Formats the Swift sources with the repo's .swift-format; with -l, only lints (fails on any finding).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
paths=(Package.swift Sources Tests Clients dev/fuzz/Package.swift dev/fuzz/Checks dev/fuzz/Sources)
if [ "${1:-}" = "-l" ]; then
    swift format lint --strict --recursive --parallel --configuration .swift-format "${paths[@]}"
    echo "format: clean"
else
    swift format format --in-place --recursive --parallel --configuration .swift-format "${paths[@]}"
fi
