#!/usr/bin/env bash
# make plugin-test: the FormationTypes build plugin in a real user package outside this repository.
#
# Copies Tests/PluginTest/typed-app (an app whose TypedAppTypes target lists nine types of seven
# services in formation-types.txt, eight of them not built into FormationResources) to a temporary
# directory beside a link named `formation` to this checkout, then:
#   1. builds it from clean (`swift build`, timed) and synthesizes; check_template.py checks the
#      template (every typed resource, its properties, references and outputs);
#   2. checks the generated file holds the listed types and not the built-in one;
#   3. runs the vendoring route, `swift run formation-codegen --types … --out …`, from the app and
#      checks it writes the same declarations as the plugin;
#   4. adds a line to the list and code that uses the new type: the next build compiles it
#      (SwiftPM does not re-plan for a changed file, so this is the case that must not go stale);
#   5. a misspelled type and a malformed line fail the build naming formation-types.txt:LINE;
#   6. the restored list builds again.
# KEEP=1 keeps the temporary directory.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
swift=${SWIFT:-swift}
python=${PYTHON:-python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/formation-plugin-test.XXXXXX")
if [ -n "${KEEP:-}" ]; then echo "plugin-test: keeping $work"; else trap 'rm -rf "$work"' EXIT; fi
ln -s "$repo" "$work/formation"
cp -R "$repo/Tests/PluginTest/typed-app" "$work/typed-app"
cd "$work/typed-app"
list=Sources/TypedAppTypes/formation-types.txt
log="$work/build.log"

step() { echo "== plugin-test: $*"; }
fail() { echo "plugin-test: FAILED: $*" >&2; exit 1; }
milliseconds() { echo $(( $(date +%s%N) / 1000000 )); }
build() { "$swift" build >"$log" 2>&1; }
show_log() { tail -30 "$log" >&2; }

step "clean build of a user app using the plugin (types of 7 services)"
start=$(milliseconds)
build || { show_log; fail "the app does not build"; }
clean=$(( $(milliseconds) - start ))
echo "plugin-test: clean debug build $((clean / 1000)).$(( (clean % 1000) / 100 )) s"

step "synth and check the template"
rm -rf out
.build/debug/TypedApp synth --out out --format json >/dev/null || fail "synth failed"
"$python" "$repo/Tests/PluginTest/check_template.py" out/Orders-dev.template.json || fail "template check"

step "the generated file has the listed types, not the built-in one"
generated=$(find .build/plugins/outputs -name FormationTypes.generated.swift | head -1)
[ -n "$generated" ] || fail "no FormationTypes.generated.swift under .build/plugins/outputs"
structs=$(grep -c '^    public struct [A-Za-z0-9]*: ResourceProperties {' "$generated" || true)
[ "$structs" = 8 ] || fail "expected 8 generated resource types in $generated, found $structs"
grep -q '^// AWS::Lambda::Function is not generated here: FormationResources has it.$' "$generated" || fail "no note for the built-in type"
if grep -q 'public struct Function: ResourceProperties' "$generated"; then fail "the built-in Lambda.Function was generated again"; fi

step "vendoring: swift run formation-codegen from the app writes the same declarations"
"$swift" run formation-codegen --types "$list" --out "$work/vendored" >"$log" 2>&1 || { show_log; fail "swift run formation-codegen"; }
files=$(cd "$work/vendored" && ls | LC_ALL=C sort | tr '\n' ' ')
[ "$files" = "ApiGateway_RestApi.swift DynamoDB_Table.swift ECS_Cluster.swift ECS_Service.swift Events_EventBus.swift Lambda_EventSourceMapping.swift Lambda_Function.swift RDS_DBInstance.swift SQS_Queue.swift " ] \
  || fail "vendored files: $files"
"$python" - "$generated" "$work/vendored" <<'EOF' || fail "vendored files differ from the plugin's output"
import os, sys
combined = open(sys.argv[1], encoding="utf-8").read()
for name in sorted(os.listdir(sys.argv[2])):
    text = open(os.path.join(sys.argv[2], name), encoding="utf-8").read()
    if text not in combined:
        sys.exit(f"{name} is not in the plugin's output")
EOF

step "a line added to the list is generated and compiled by the next build"
cp "$list" "$work/list.orig"
cp Sources/TypedApp/main.swift "$work/main.orig"
echo 'AWS::SNS::TopicPolicy' >>"$list"
echo 'let topicPolicy = SNS.TopicPolicy(policyDocument: [:], topics: ["arn:aws:sns:us-east-1:123456789012:orders"])' >>Sources/TypedApp/main.swift
build || { show_log; fail "the added type did not compile (stale plugin outputs?)"; }
cp "$work/main.orig" Sources/TypedApp/main.swift

step "a misspelled type fails the build at its line"
cp "$work/list.orig" "$list"
echo 'AWS::SQS::Queu' >>"$list"
line=$(wc -l <"$list" | tr -d ' ')
if build; then fail "a misspelled type built"; fi
grep -qF "$PWD/$list:$line: error: AWS::SQS::Queu is not a CloudFormation registry type; did you mean AWS::SQS::Queue?" "$log" \
  || { show_log; fail "no FILE:LINE error for the misspelled type"; }

step "a malformed line fails the build at its line"
cp "$work/list.orig" "$list"
printf 'AWS::SQS\n' >>"$list"
if build; then fail "a malformed line built"; fi
grep -qF "$PWD/$list:$line: error: \"AWS::SQS\" is not a type name" "$log" || { show_log; fail "no FILE:LINE error for the malformed line"; }

step "the restored list builds again"
cp "$work/list.orig" "$list"
build || { show_log; fail "the restored app does not build"; }
.build/debug/TypedApp synth --out out --format json >/dev/null && "$python" "$repo/Tests/PluginTest/check_template.py" out/Orders-dev.template.json >/dev/null \
  || fail "template after restoring"
echo "plugin-test: passed (clean build $((clean / 1000)).$(( (clean % 1000) / 100 )) s)"
