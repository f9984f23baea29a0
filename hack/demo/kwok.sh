#!/usr/bin/env bash
# Provides kwok (controller mode) on a fresh machine and prints the path of the binary.
#
# kwok is built from the Go module proxy in a throw-away module, never through the project's
# go.mod (its k8s.io/* requirements are its own). The binary lands in a cache directory that
# survives between runs, so only the first run pays for the build (a few minutes on 2 cores).
set -euo pipefail

KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
CACHE_ROOT="${ELASTIC_YARN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/elastic-yarn-operator}"
DIR="$CACHE_ROOT/tools/kwok-$KWOK_VERSION"
BIN="$DIR/kwok"

log() { echo "kwok: $*" >&2; }

build_kwok() {
  [ -x "$BIN" ] && return 0
  log "building kwok $KWOK_VERSION from the Go module proxy (a few minutes once)"
  mkdir -p "$DIR"
  local work; work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  (
    cd "$work"
    export GOFLAGS=-mod=mod GOWORK=off
    go mod init kwok-build >/dev/null 2>&1
    go get "sigs.k8s.io/kwok@$KWOK_VERSION" >&2
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$BIN.tmp" sigs.k8s.io/kwok/cmd/kwok >&2
    mv "$BIN.tmp" "$BIN"
  )
}

build_kwok
echo "$BIN"
