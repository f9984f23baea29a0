#!/usr/bin/env bash
# make demo: the REAL operator on a local control plane with emulated YARN and Koordinator,
# everything on loopback, torn down at the end or on Ctrl-C. See docs/demo.md.
#
#   make demo                      # about 5 minutes of run (one simulated day)
#   DEMO_DURATION=3m make demo     # shorter or longer
#   DEMO_KEEP=1 make demo          # keep the state and logs directory
#
# On a fresh machine it installs the Debian packages it needs (etcd-server, prometheus; as
# root), builds kube-apiserver, kube-scheduler and kubectl (hack/envtest-assets.sh) and kwok
# (hack/demo/kwok.sh) from the Go module proxy once into ~/.cache/elastic-yarn-operator, then
# builds the operator and the demo driver (test/demo/cmd/demo) with Go's build cache.
set -euo pipefail

DEMO_STARTED="$(date +%s.%N)"
export DEMO_STARTED
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
CACHE_ROOT="${ELASTIC_YARN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/elastic-yarn-operator}"
BIN="$CACHE_ROOT/demo-bin"

log() { echo "demo: $*" >&2; }

ensure_debian() {
  local need=()
  command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
  command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "missing Debian packages: ${need[*]}; install them as root (apt-get install ${need[*]})"
    exit 1
  fi
  log "installing ${need[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # The packaged services are not used: the demo runs its own instances on loopback.
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

ensure_debian
log "control-plane binaries (built once, cached)"
ASSETS="$(hack/envtest-assets.sh)"
KWOK="$(hack/demo/kwok.sh)"
log "building the operator and the demo driver"
mkdir -p "$BIN"
go build -o "$BIN/operator" ./cmd/operator
go build -o "$BIN/demo" ./test/demo/cmd/demo
exec "$BIN/demo" -repo "$ROOT" -assets "$ASSETS" -kwok "$KWOK" -operator "$BIN/operator" \
  -prometheus "$(command -v prometheus)" "$@"
