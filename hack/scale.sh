#!/usr/bin/env bash
# make scale: the REAL operator against a local control plane (etcd, kube-apiserver,
# kube-scheduler, kwok) with 500, 1,000 and 5,000 nodes; prints the table of
# docs/benchmarks.md. See test/scale. About 40 minutes on 2 cores, most of it at 5,000 nodes.
#
#   make scale                                   # 500,1000,5000
#   SCALE_ARGS='-nodes 200,2000 -keep' make scale
#
# Needs what `make demo` needs (etcd-server, prometheus; the control-plane binaries and kwok
# are built once into ~/.cache/elastic-yarn-operator).
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE_ROOT="${ELASTIC_YARN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/elastic-yarn-operator}"
BIN="$CACHE_ROOT/scale-bin"
for cmd in etcd prometheus; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "scale: $cmd is missing; run hack/install-deps.sh (as root)" >&2; exit 1; }
done
ASSETS="$(hack/envtest-assets.sh)"
KWOK="$(hack/demo/kwok.sh)"
mkdir -p "$BIN"
go build -o "$BIN/operator" ./cmd/operator
go build -o "$BIN/scale" ./test/scale/cmd/scale
# shellcheck disable=SC2086 # SCALE_ARGS is a list of flags
exec "$BIN/scale" -repo "$(pwd)" -assets "$ASSETS" -kwok "$KWOK" -operator "$BIN/operator" \
  -prometheus "$(command -v prometheus)" ${SCALE_ARGS:-} "$@"
