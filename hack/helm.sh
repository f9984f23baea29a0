#!/usr/bin/env bash
# Provides helm on a fresh machine and prints the path of the binary.
#
# helm is built from the Go module proxy in a throw-away module, never through the project's
# go.mod: helm's k8s.io/* requirements would fight our own pins. The binary lands in a cache
# directory that survives between runs on the same machine, so only the first run pays for the
# build (about 3-4 minutes on 2 cores).
#
# HELM_VERSION must be a helm v3 release whose go.mod builds with our Go toolchain and has no
# replace directives (checked: v3.21.4 needs go 1.26.0 and k8s.io/client-go v0.36.2).
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.21.4}"
CACHE_ROOT="${ELASTIC_YARN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/elastic-yarn-operator}"
DIR="$CACHE_ROOT/tools/helm-$HELM_VERSION"
BIN="$DIR/helm"

log() { echo "helm: $*" >&2; }

build_helm() {
  [ -x "$BIN" ] && return 0
  log "building helm $HELM_VERSION from the Go module proxy (a few minutes once)"
  mkdir -p "$DIR"
  local work; work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  (
    cd "$work"
    export GOFLAGS=-mod=mod GOWORK=off
    go mod init helm-build >/dev/null 2>&1
    go get "helm.sh/helm/v3@$HELM_VERSION" >&2
    # The version helm prints comes from the linker, as helm's own Makefile sets it.
    CGO_ENABLED=0 go build -trimpath \
      -ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
      -o "$BIN.tmp" helm.sh/helm/v3/cmd/helm >&2
    mv "$BIN.tmp" "$BIN"
  )
}

build_helm
echo "$BIN"
