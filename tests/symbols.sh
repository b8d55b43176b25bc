#!/bin/sh
# The shared library exports hk_* symbols only.
set -u
lib=$1
extra=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRW]$/ {print $3}' | grep -v '^hk_' || true)
if [ -n "$extra" ]; then
    echo "symbols: exported beyond hk_*:"; echo "$extra"; exit 1
fi
echo "symbols: $(nm -D --defined-only "$lib" | grep -c ' T hk_') hk_* functions, nothing else"
