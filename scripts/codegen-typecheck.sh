#!/usr/bin/env bash
# Generates Swift for registry types with formation-codegen and type-checks it against this
# checkout's Formation and FormationResources modules (the debug build's). Used by
#   make codegen-all     every registry type (SAM's, Alexa::ASK::Skill and AMZN::SDC::Deployment too) besides the built-in ones, 1,872 types
#   make codegen-sample  the fixed sample CI runs (Generator.sampleTypeNames)
#
#   scripts/codegen-typecheck.sh --all|--sample [--keep DIR]
#
# The generated files (one per type, SQS_Queue.swift) are type-checked by one `swiftc -typecheck
# -wmo` frontend against the modules in .build/debug/Modules: nothing is compiled to objects or
# linked, nothing of Formation is rebuilt. Fails (exit 1) when the generator fails on a type or
# the compiler reports an error, naming each type. --keep DIR keeps the generated files there.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SWIFT=${SWIFT:-swift}
SWIFTC=${SWIFTC:-swiftc}

mode=""
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --all|--sample) mode="$1" ;;
    --keep) keep="${2:?--keep needs a directory}"; shift ;;
    *) echo "usage: $0 --all|--sample [--keep DIR]" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$mode" ] || { echo "usage: $0 --all|--sample [--keep DIR]" >&2; exit 2; }
label="codegen-${mode#--}"

# The generator, and the modules the generated code imports (FormationResources builds Formation,
# FormationRegistry, FormationTemplate and the C modules' module maps).
$SWIFT build --product formation-codegen >/dev/null
$SWIFT build --target FormationResources >/dev/null
BIN=$($SWIFT build --show-bin-path)

log=$(mktemp)
if [ -n "$keep" ]; then
  mkdir -p "$keep"
  out=$(cd "$keep" && pwd)
  trap 'rm -f "$log"' EXIT
else
  out=$(mktemp -d)
  trap 'rm -f "$log"; rm -rf "$out"' EXIT
fi

start=$(date +%s)
status=0
# formation-codegen writes every type it can and names the ones it fails on (exit 1).
"$BIN/formation-codegen" "$mode" --out "$out" >"$log" 2>&1 || status=1
sed -e "s/^formation-codegen: /$label: /" "$log"
generated=$(find "$out" -maxdepth 1 -name '*.swift' | wc -l)
[ "$generated" -gt 0 ] || { echo "$label: nothing was generated" >&2; exit 1; }
generatedAt=$(date +%s)

# One frontend over every file (-wmo), measured fastest for all 1,870 AWS:: types on this 2-core machine:
# 36 s and 1.0 GB, against 17.5 minutes for the driver's batch mode with -j2 (every batch parses
# every file again) and 7.2 minutes and 5 GB for a temporary SwiftPM package that depends on this
# checkout by path (it rebuilds Formation and compiles the generated code to objects).
if ! "$SWIFTC" -typecheck -wmo -swift-version 6 -parse-as-library -module-name FormationCodegenCheck \
    -continue-building-after-errors \
    -I "$BIN/Modules" -module-cache-path "$BIN/ModuleCache" \
    -Xcc -fmodule-map-file="$BIN/CFormationRegistry.build/module.modulemap" \
    -Xcc -I -Xcc "$ROOT/Sources/CFormationRegistry/include" \
    -Xcc -fmodule-map-file="$ROOT/Sources/CJSONC/module.modulemap" $(pkg-config --cflags-only-I json-c) \
    -Xcc -fmodule-map-file="$ROOT/Sources/CYAML/module.modulemap" \
    "$out"/*.swift >"$log" 2>&1; then
  status=1
  # Each error names its file, and the file the type (SQS_Queue.swift is AWS::SQS::Queue).
  errors=$(grep -E '^[^ ]+\.swift:[0-9]+:[0-9]+: error:' "$log" || true)
  if [ -n "$errors" ]; then
    echo "$errors" | sed -e "s|^$out/|$label: |" | head -200 >&2
    failed=$(echo "$errors" | sed -E 's|^.*/([A-Za-z0-9]+)_([A-Za-z0-9]+)\.swift:.*$|AWS::\1::\2|' | sort -u)
    echo "$label: the compiler rejects the generated code of $(echo "$failed" | wc -l) types:" >&2
    echo "$failed" | sed 's/^/  /' >&2
  else
    cat "$log" >&2
    echo "$label: swiftc failed without naming a generated file" >&2
  fi
fi
end=$(date +%s)
if [ "$status" = 0 ]; then
  echo "$label: $generated types generated in $((generatedAt - start)) s and type-checked in $((end - generatedAt)) s"
else
  echo "$label: FAILED ($generated types generated)" >&2
fi
exit $status
