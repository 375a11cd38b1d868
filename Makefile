# BinhYen — quick start: `make demo`, then `make test`.
SWIFT       ?= swift
BIN_DIR     := .build/debug
SAMPLE      := datasets/sample-commune/xa-binh-yen-thang-2018-2025.csv
DEBIAN_PKGS := libopenblas-dev liblapacke-dev pkg-config

.PHONY: demo test test-slow notebooks build deps fixtures fuzz clean help

help:
	@echo "make demo      install missing system packages, build, verify the sample commune (Vietnamese table)"
	@echo "make test      install missing system packages, build and run the test suite"
	@echo "make test-slow the slow checks: HTML report in headless Chromium, Vega-Lite schema (needs chromium, python3-jsonschema)"
	@echo "make notebooks re-run the notebooks in notebooks-md/ and record their outputs"
	@echo "make fixtures  regenerate numeric reference fixtures (needs R and Python with scipy)"
	@echo "make fuzz      build the libFuzzer targets in Fuzz/ and run each for FUZZ_SECONDS (default 600)"

## Installs the Debian packages BinhYen links against when they are missing.
deps:
	@if pkg-config --exists openblas 2>/dev/null && [ -f /usr/include/lapacke.h ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "Installing $(DEBIAN_PKGS) …"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PKGS) >/dev/null; \
	else \
		echo "BinhYen needs OpenBLAS and LAPACKE. Run as root:"; \
		echo "  sudo apt-get install -y $(DEBIAN_PKGS)"; \
		exit 1; \
	fi
	@# GNU time measures the peak memory of the hostile-input tests (they fall back to a coarser bound without it).
	@if [ ! -x /usr/bin/time ] && [ "$$(id -u)" = 0 ]; then \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null || true; \
	fi

build: deps
	$(SWIFT) build --product binhyen

demo: build
	$(BIN_DIR)/binhyen verify $(SAMPLE) --lang vi --format table

test: deps
	$(SWIFT) test

## Renders the HTML report in headless Chromium and requires the Vega-Lite schema validation.
test-slow: deps
	@command -v chromium >/dev/null || { echo "make test-slow needs Chromium: apt-get install -y chromium"; exit 1; }
	@python3 -c 'import jsonschema' 2>/dev/null || { echo "make test-slow needs Python jsonschema: apt-get install -y python3-jsonschema"; exit 1; }
	BINHYEN_SLOW_TESTS=1 $(SWIFT) test --filter 'ReportChromiumTests|VegaLiteTests'

## Re-runs every command of notebooks-md/*.md and rewrites the recorded outputs (review the diff).
notebooks: build
	BINHYEN_RECORD_NOTEBOOKS=1 $(SWIFT) test --filter NotebookTests

fixtures:
	@for s in Tests/FixtureScripts/*/*.py; do echo "python3 $$s"; python3 "$$s" || exit 1; done
	@for s in Tests/FixtureScripts/*/*.R; do [ -f "$$s" ] || continue; echo "Rscript $$s"; Rscript "$$s" || exit 1; done

## Builds the libFuzzer targets of Fuzz/ (a package of its own) with AddressSanitizer and runs
## each for FUZZ_SECONDS; see docs/guides/Fuzzing.md. Logs and crashing inputs go to .build-fuzz/.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= FuzzDelimited FuzzWorkbook FuzzDecoding FuzzRulePack
fuzz: deps
	@for target in $(FUZZ_TARGETS); do \
		$(SWIFT) build -c release --package-path Fuzz --scratch-path .build-fuzz --product $$target \
			--sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing || exit 1; \
	done
	Fuzz/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf .build
