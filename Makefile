# inmemdb: bootstraps a pinned Deno from npm when none is on PATH, then runs deno tasks.
DENO_VERSION := 2.9.6
LOCAL_DENO_DIR := $(CURDIR)/.deno
LOCAL_DENO := $(LOCAL_DENO_DIR)/node_modules/.bin/deno
SYSTEM_DENO := $(shell command -v deno 2>/dev/null)
DENO := $(if $(SYSTEM_DENO),$(SYSTEM_DENO),$(LOCAL_DENO))
# deno tasks call `deno`: make the one we chose the first on PATH.
export PATH := $(dir $(DENO)):$(PATH)

.PHONY: run test build bench dist deno clean

deno: $(DENO)

$(LOCAL_DENO):
	npm install --prefix "$(LOCAL_DENO_DIR)" --no-save --no-audit --no-fund --loglevel=error deno@$(DENO_VERSION)
	"$(LOCAL_DENO)" --version

run: $(DENO)
	deno task start

test: $(DENO)
	deno task test

# deno compile needs a denort runtime: offline, set DENORT_BIN (host target only); see scripts/compile.ts.
build: $(DENO)
	deno task compile

# e.g. make bench BENCH_ARGS="--tests set,get --rounds 5 --out bench/out/latest.md"
bench: $(DENO)
	deno task bench $(BENCH_ARGS)

dist: $(DENO)
	deno task compile --dist

clean:
	rm -rf inmemdb inmemdb.exe dist bench/out
