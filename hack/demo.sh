#!/usr/bin/env bash
# make demo: the REAL operator on a local control plane with emulated YARN and Koordinator,
# everything on loopback, torn down at the end or on Ctrl-C. See docs/demo.md.
#
#   make demo                      # about 5 minutes of run (30 simulated minutes)
#   DEMO_DURATION=3m make demo     # shorter or longer
#   DEMO_KEEP=1 make demo          # keep the state and logs directory
#
# On a fresh machine it installs what it needs through hack/tools.sh (Debian packages as root;
# kube-apiserver, kube-scheduler, kubectl and kwok built once from the Go module proxy into the
# tool cache), then builds the operator and the demo driver (test/demo/cmd/demo).
set -euo pipefail

DEMO_STARTED="$(date +%s.%N)"
export DEMO_STARTED
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
BIN="$(mktemp -d)"
trap 'rm -rf "$BIN"' EXIT

log() { echo "demo: $*" >&2; }

log "tools (built once, cached)"
hack/tools.sh debian
hack/tools.sh build kube kwok
log "building the operator and the demo driver"
go build -o "$BIN/operator" ./cmd/operator
go build -o "$BIN/demo" ./test/demo/cmd/demo
"$BIN/demo" -repo "$ROOT" -assets "$(hack/tools.sh path kube)" -kwok "$(hack/tools.sh path kwok)" \
  -operator "$BIN/operator" -prometheus "$(command -v prometheus)" "$@"
