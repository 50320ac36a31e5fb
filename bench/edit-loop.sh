#!/bin/bash
# The edit→template loop of this repository, as a user of the DSL lives it: change one line of a
# stack (the Bedrock cache stack's description), `swift build --product formation` (debug, warm)
# and `.build/debug/formation synth --out DIR`; LOOPS times (default 5), then a no-op
# `swift build --product formation` 3 times. Prints the medians. The stack file is restored on
# exit, whatever happens. Run by `make bench`; needs a warm debug build (it makes one first).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
swift=${SWIFT:-swift}
loops=${LOOPS:-5}
file=stacks/BedrockCacheStack.swift
grep -qF 'description: "Three-layer Bedrock response cache: Lambda and ElastiCache Redis 7.1 (\(env.name))"' "$file" \
    || { echo "edit-loop: the line to edit is not in $file; update bench/edit-loop.sh" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/formation-edit-loop.XXXXXX")
cp "$file" "$work/original.swift"
restore() {
    cmp -s "$work/original.swift" "$file" || cp "$work/original.swift" "$file"
    rm -rf "$work"
}
trap restore EXIT

milliseconds() { echo $(( $(date +%s%N) / 1000000 )); }
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

"$swift" build --product formation >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
times=""
for i in $(seq "$loops"); do
    sed -i "s/Redis 7.1 (\\\\(env.name))\"/Redis 7.1 (\\\\(env.name)), edit $i\"/; s/Redis 7.1 (\\\\(env.name)), edit [0-9]*\"/Redis 7.1 (\\\\(env.name)), edit $i\"/" "$file"
    grep -q "edit $i\"" "$file" || { echo "edit-loop: the edit did not apply" >&2; exit 1; }
    rm -rf "$work/out"
    start=$(milliseconds)
    "$swift" build --product formation >"$work/build.log" 2>&1 && .build/debug/formation synth --out "$work/out" --quiet >>"$work/build.log" 2>&1 \
        || { tail -30 "$work/build.log" >&2; exit 1; }
    took=$(( $(milliseconds) - start ))
    grep -q "Redis 7.1 (dev), edit $i\"" "$work/out/BedrockCacheStack-dev.template.json" \
        || { echo "edit-loop: the template does not show edit $i" >&2; exit 1; }
    times="$times $took"
done
cp "$work/original.swift" "$file"
"$swift" build --product formation >/dev/null 2>&1
noops=""
for _ in 1 2 3; do
    start=$(milliseconds); "$swift" build --product formation >/dev/null 2>&1; noops="$noops $(( $(milliseconds) - start ))"
done
echo "edit→template (edit $file, swift build --product formation, formation synth --out DIR; debug, warm):"
echo "  median $(echo "$times" | median) ms over $loops edits (each:${times}); no-op build median $(echo "$noops" | median) ms; load $(cut -d' ' -f1 /proc/loadavg)"
