# Formation — the two commands a new machine needs:
#   make synth   installs what is missing, builds, writes every stack to out/ (JSON and YAML)
#   make test    installs what is missing, runs every test
SHELL := /bin/bash
SWIFT ?= swift
OUT ?= out
PYTHON ?= python3
# Exact versions of the Python tools used as external judges.
PIP_PINS := cfn-lint==1.51.0 moto[server]==5.2.1 awscli==1.45.11 PyYAML==6.0.3

.PHONY: deps pydeps build synth test swift-test python-test e2e clean

## deps: install the C libraries (libyaml, json-c) when pkg-config cannot find them.
deps:
	@if ! pkg-config --exists yaml-0.1 json-c 2>/dev/null; then \
	  echo "installing libyaml-dev libjson-c-dev pkg-config"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libyaml-dev libjson-c-dev pkg-config; \
	fi

## pydeps: install the pinned Python judges when a version differs.
pydeps:
	@for pin in $(PIP_PINS); do \
	  name=$${pin%%==*}; name=$${name%%[*}; want=$${pin##*==}; \
	  have=$$($(PYTHON) -m pip show $$name 2>/dev/null | sed -n 's/^Version: //p'); \
	  if [ "$$have" != "$$want" ]; then $(PYTHON) -m pip install -q "$$pin"; fi; \
	done

build: deps
	$(SWIFT) build --product formation

## synth: every stack, every environment, JSON and YAML, into $(OUT)/.
synth: build
	$$($(SWIFT) build --show-bin-path)/formation synth --out $(OUT) --format json
	$$($(SWIFT) build --show-bin-path)/formation synth --out $(OUT) --format yaml
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

## e2e: every stack (and two CLI test-app stacks) deployed through the real AWS CLI to
## moto_server on 127.0.0.1: pipe and deploy forms, read-back, change-set update, delete.
E2E_STACKS_TESTAPP := Good-test,NamedIam-test
e2e: deps pydeps
	$(SWIFT) build --product formation
	$(SWIFT) build --product formation-cli-testapp
	$(PYTHON) Tests/e2e/test_moto_compat.py
	BIN=$$($(SWIFT) build --show-bin-path) && \
	  $(PYTHON) Tests/e2e/e2e.py --app "$$BIN/formation" --app "$$BIN/formation-cli-testapp:$(E2E_STACKS_TESTAPP)"

## test: every test: the Swift tests, the functions' Python tests, then the end-to-end deploy proof.
test: deps pydeps swift-test python-test e2e

clean:
	rm -rf .build $(OUT)
