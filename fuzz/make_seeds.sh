#!/bin/sh
# Writes (or, with --check, verifies) the committed seed corpora
# (DIR/<target>/): what make_seeds.c writes, plus the sample fixture in open/
# and fixtures/user.reg in reg/.
#   make_seeds.sh MAKE_SEEDS SAMPLE_HIVE DIR           write the seeds into DIR
#   make_seeds.sh --check MAKE_SEEDS SAMPLE_HIVE DIR   fail unless DIR holds them
# From a configured build dir:
#   fuzz/make_seeds.sh build/fuzz/make_seeds build/fixtures/sample.hive fuzz/seeds
set -eu
check=0
if [ "$1" = --check ]; then check=1; shift; fi
gen=$1 sample=$2 dir=$3
user_reg=$(dirname "$0")/../fixtures/user.reg
targets="open edit log reg carve"
if [ $check -eq 0 ]; then
    for t in $targets; do mkdir -p "$dir/$t"; done
    "$gen" "$dir"
    cp "$sample" "$dir/open/sample.hive"
    cp "$user_reg" "$dir/reg/user.reg"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in $targets; do mkdir -p "$tmp/$t"; done
"$gen" "$tmp"
cp "$sample" "$tmp/open/sample.hive"
cp "$user_reg" "$tmp/reg/user.reg"
bad=0
for f in "$tmp"/*/*; do
    name=${f#"$tmp"/}
    if ! cmp -s "$f" "$dir/$name"; then
        echo "seeds: $name differs from what make_seeds writes (rerun fuzz/make_seeds.sh)"
        bad=1
    fi
done
[ $bad -eq 0 ] && echo "seeds: $(ls "$tmp"/* | wc -l) seeds current"
exit $bad
