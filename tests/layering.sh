#!/bin/sh
# Fails when a lib/ layer includes a header from a layer above it or from a
# sibling, or when a front end (cli/, python/, bench/, fuzz/) reaches past
# the public header into lib/. Order, bottom to top, as ARCHITECTURE.md
# decides: base, hive, record, tree; then log, forensic and text, siblings
# (each builds on tree and below, none includes another); then registry,
# which may use all three; then api.
set -u
top=${1:-$(dirname "$0")/..}
rank() {
    case "$1" in
    base) echo 0 ;; hive) echo 1 ;; record) echo 2 ;; tree) echo 3 ;;
    log | forensic | text) echo 4 ;; registry) echo 5 ;; api) echo 6 ;; *) echo 99 ;;
    esac
}
bad=0
for f in $(find "$top/lib" -name '*.[ch]' ! -path '*/include/*'); do
    layer=$(basename "$(dirname "$f")")
    mine=$(rank "$layer")
    for inc in $(sed -n 's/^#include "\([a-z]*\)\/.*"/\1/p' "$f"); do
        theirs=$(rank "$inc")
        if [ "$theirs" -gt "$mine" ]; then
            echo "layering: $f ($layer) includes from $inc, a higher layer"
            bad=1
        elif [ "$theirs" -eq "$mine" ] && [ "$inc" != "$layer" ]; then
            echo "layering: $f ($layer) includes from $inc, a sibling layer"
            bad=1
        fi
    done
done
for f in $(find "$top/cli" "$top/python" "$top/bench" "$top/fuzz" -name '*.[ch]' 2>/dev/null); do
    if grep -Eq '^#include "(base|hive|record|tree|log|forensic|text|registry|api)/' "$f"; then
        echo "layering: $f is a front end but includes library internals"
        bad=1
    fi
done
[ $bad -eq 0 ] && echo "layering: ok"
exit $bad
