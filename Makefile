# make run  : install what is missing, start a local PostgreSQL under .data/ (unless DATABASE_URL is set), migrate, serve
# make stop-db: stop that local PostgreSQL
# make test : check formatting, build once and run every suite against a throwaway PostgreSQL (with the browser tests of the client pages)
# make format: rewrite the Swift files as .swift-format says
# make bench: release build; the rules and JSON benchmarks, wrk against our /healthz and nginx, each database route
#             against pgbench -M prepared running that route's own statements
# make bench-scale: the same routes at 10% and 100% of issue 23's data size, and the daily jobs at full size
SHELL := /bin/bash
PORT ?= 8080
HOST ?= 127.0.0.1

.PHONY: run stop-db test test-browser build bench bench-scale deps clean format

deps:
	@scripts/ensure-deps.sh

build: deps
	swift build -c release --product kraamzorg-server

# Without DATABASE_URL: the local cluster's two roles, DATABASE_URL (requests) and DATABASE_OWNER_URL (migrations).
run: build
	@if [ -z "$$DATABASE_URL" ]; then urls=$$(scripts/local-postgres.sh) || exit 1; eval "$$urls"; fi; \
	  PORT=$(PORT) HOST=$(HOST) exec .build/release/kraamzorg-server

# Stops the local cluster that `make run` started (its data stays under .data/).
stop-db:
	scripts/local-postgres.sh stop

test: deps
	scripts/check-format.sh
	scripts/validate-openapi.sh
	swift build --build-tests
	scripts/with-test-postgres.sh scripts/run-tests.sh

# The client pages in headless Chromium only (installs chromium, chromium-driver, selenium, html5lib when missing).
test-browser: deps
	swift build --product kraamzorg-server
	scripts/browser-tests.sh

bench: deps
	scripts/ensure-deps.sh wrk nginx
	swift build -c release --product kraamzorg-server
	swift build -c release --product RulesBenchmark
	swift build -c release --product JSONBenchmark
	.build/release/RulesBenchmark
	.build/release/JSONBenchmark
	scripts/bench-http.sh
	scripts/bench-routes.sh

# Growth (issue 23): p50/p99 of the routes at 10% and 100% of 1M practitioners, 10M accreditations, 200k clients,
# 20M audit events, both sizes measured side by side (two databases); then the daily jobs over the full size.
# Takes a while (the seeding); FRACTION=0.1 for a quick look.
bench-scale: deps
	scripts/ensure-deps.sh wrk
	swift build -c release --product kraamzorg-server
	scripts/bench-routes.sh --growth --fraction $${FRACTION:-1}

# Rewrites every Swift file as .swift-format says (line length 140); make test fails on any difference.
format:
	swift format format --in-place --recursive --parallel Package.swift Sources Tests Benchmarks

clean:
	rm -rf .build
