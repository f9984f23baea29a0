#!/usr/bin/env bash
# make scale: the REAL operator against a local control plane (etcd, kube-apiserver,
# kube-scheduler, kwok) with 1,000, 5,000 and 10,000 nodes; prints the table of
# docs/benchmarks.md. See test/scale. About an hour on 2 cores, most of it at 10,000 nodes.
#
#   make scale                                   # 1000,5000,10000
#   SCALE_ARGS='-nodes 200,2000 -keep' make scale
#
# Installs what it needs through hack/tools.sh (as `make demo` does), then builds the operator
# and the scale driver.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$(mktemp -d)"
trap 'rm -rf "$BIN"' EXIT
hack/tools.sh debian
hack/tools.sh build kube kwok
go build -o "$BIN/operator" ./cmd/operator
go build -o "$BIN/scale" ./test/scale/cmd/scale
# shellcheck disable=SC2086 # SCALE_ARGS is a list of flags
"$BIN/scale" -repo "$(pwd)" -assets "$(hack/tools.sh path kube)" -kwok "$(hack/tools.sh path kwok)" \
  -operator "$BIN/operator" -prometheus "$(command -v prometheus)" ${SCALE_ARGS:-} "$@"
