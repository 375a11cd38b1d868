# BinhYen — quick start: `make demo`, then `make test`.
SWIFT       ?= swift
BIN_DIR     := .build/debug
SAMPLE      := datasets/sample-commune/xa-binh-yen-thang-2018-2025.csv
DEBIAN_PKGS := libopenblas-dev liblapacke-dev pkg-config

.PHONY: demo test test-all build deps fixtures clean help

help:
	@echo "make demo      install missing system packages, build, verify the sample commune (Vietnamese table)"
	@echo "make test      install missing system packages, build and run the test suite"
	@echo "make fixtures  regenerate numeric reference fixtures (needs R and Python with scipy)"

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

build: deps
	$(SWIFT) build --product binhyen

demo: build
	$(BIN_DIR)/binhyen verify $(SAMPLE) --lang vi --format table

test: deps
	$(SWIFT) test

fixtures:
	@for s in Tests/FixtureScripts/*/*.py; do echo "python3 $$s"; python3 "$$s" || exit 1; done
	@for s in Tests/FixtureScripts/*/*.R; do [ -f "$$s" ] || continue; echo "Rscript $$s"; Rscript "$$s" || exit 1; done

clean:
	rm -rf .build
