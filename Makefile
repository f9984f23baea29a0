# elastic-yarn-operator
#
#   make demo    run the product locally on an embedded default
#   make test    run the test suite (what .ci/run runs)

SHELL := /usr/bin/env bash -o pipefail
GO ?= go
CONTROLLER_GEN := $(GO) tool controller-gen
# Read after `deps` has run (recursive =): the tool cache never builds from here.
ENVTEST_ASSETS = $(shell hack/tools.sh path kube)
GO_TEST_FLAGS ?= -count=1 -timeout 30m

.PHONY: all build generate manifests verify deps test bench sim scale demo fmt vet

all: build

build:
	$(GO) build -o bin/ ./cmd/...

## generate: deepcopy functions from the API types.
generate:
	$(CONTROLLER_GEN) object:headerFile=hack/boilerplate.go.txt paths=./api/...

## manifests: CRDs, RBAC, their copies in the Helm chart, and the API reference.
manifests:
	$(CONTROLLER_GEN) crd paths=./api/... output:crd:artifacts:config=config/crd/bases
	$(CONTROLLER_GEN) rbac:roleName=elastic-yarn-operator paths="./controllers/...;./cmd/..." output:rbac:artifacts:config=config/rbac
	hack/sync-chart.sh
	$(GO) run ./hack/crd-ref

## verify: regenerate everything and fail if the tree changed.
verify: generate manifests
	@if [ -n "$$(git status --porcelain -- api config charts docs/reference)" ]; then \
		echo "generated files are out of date or edited by hand; run 'make generate manifests' and commit:"; \
		git status --porcelain -- api config charts docs/reference; git --no-pager diff -- api config charts docs/reference | head -40; exit 1; fi

fmt:
	gofmt -l -w $$(git ls-files '*.go')

vet:
	$(GO) vet ./...

## deps: the Debian packages and the pinned tools (kube-apiserver, kubectl, kube-scheduler,
## kwok, helm) that tests, the demo and the scale run use; built once into the tool cache, so
## no test ever builds one (hack/tools.sh; idempotent).
deps:
	hack/tools.sh deps

## test: everything, against real components (apiserver+etcd, MIT KDC, Prometheus, JVM).
test: deps verify vet
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt: $$unformatted"; exit 1; fi
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" ELASTIC_YARN_REQUIRE_REAL=1 $(GO) test $(GO_TEST_FLAGS) ./...

## bench: benchmarks (ratios against baselines measured in the same run).
bench: deps
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" ELASTIC_YARN_REQUIRE_REAL=1 $(GO) test -run '^$$' -bench . -benchmem ./...

## sim: the trace-driven comparison of strategies in docs/benchmarks.md (the Alibaba sample: docs/reference/alibaba-trace.md).
sim:
	$(GO) run ./test/sim/cmd/sim -trace synthetic -nodes 200 -days 7 -step 30s -seeds 1,2,3 -variants -png docs/img/sim-synthetic.png
	$(GO) run ./test/sim/cmd/sim -trace alibaba -step 30s -seeds 1,2,3 -variants -png docs/img/sim-alibaba.png

## scale: the real operator from cold to steady state at 1,000, 5,000 and 10,000 nodes (docs/benchmarks.md).
scale:
	hack/scale.sh

## demo: the operator on a local control plane with emulated YARN and Koordinator.
demo:
	hack/demo.sh
