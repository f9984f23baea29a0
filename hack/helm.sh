#!/usr/bin/env bash
# Provides helm on a fresh machine and prints the path of the binary.
#
# helm is built from the Go module proxy in a throw-away module, never through the project's
# go.mod: helm's k8s.io/* requirements would fight our own pins. The binary lands in a cache
# directory that survives between runs on the same machine, so only the first run pays for the
# build (about 3 minutes on 2 cores from an empty module and build cache).
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
    # Set what helm's own Makefile sets through the linker: its version, and the Kubernetes
    # version `helm template` and `helm lint` assume (from client-go v0.X.Y: 1.X; without it
    # helm assumes v1.20 and rejects charts with a newer kubeVersion).
    local kver major minor
    kver="$(go list -f '{{.Version}}' -m k8s.io/client-go)"
    kver="${kver#v}"; major=$(( ${kver%%.*} + 1 )); minor="${kver#*.}"; minor="${minor%%.*}"
    local ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
    for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
      ldflags+=" -X $pkg.k8sVersionMajor=$major -X $pkg.k8sVersionMinor=$minor"
    done
    CGO_ENABLED=0 go build -trimpath -ldflags="$ldflags" -o "$BIN.tmp" helm.sh/helm/v3/cmd/helm >&2
    mv "$BIN.tmp" "$BIN"
  )
}

build_helm
echo "$BIN"
