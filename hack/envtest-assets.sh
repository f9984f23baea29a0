#!/usr/bin/env bash
# Provides the envtest binaries (kube-apiserver, etcd, kubectl) on a fresh machine and prints the
# directory that holds them, for KUBEBUILDER_ASSETS.
#
# kube-apiserver and kubectl are built from the Go module proxy: a throw-away module requires
# k8s.io/kubernetes at KUBE_VERSION and replaces every k8s.io staging module with the matching
# v0.x release (the same list k8s.io/kubernetes' own go.mod replaces with ./staging paths).
# etcd comes from Debian's etcd-server package. Everything lands in a cache directory that
# survives between runs on the same machine, so only the first run pays for the build.
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-v1.36.3}"
STAGING_VERSION="v0.${KUBE_VERSION#v1.}"
CACHE_ROOT="${ELASTIC_YARN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/elastic-yarn-operator}"
ASSETS="$CACHE_ROOT/envtest/$KUBE_VERSION"
BINARIES=(kube-apiserver kubectl kube-scheduler)

log() { echo "envtest-assets: $*" >&2; }

ensure_etcd() {
  if ! command -v etcd >/dev/null 2>&1; then
    log "installing etcd-server from Debian"
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >&2
    else
      log "etcd is missing and this user cannot apt-get install etcd-server"; exit 1
    fi
  fi
  ln -sf "$(command -v etcd)" "$ASSETS/etcd"
}

build_kube() {
  local missing=0 b
  for b in "${BINARIES[@]}"; do [ -x "$ASSETS/$b" ] || missing=1; done
  [ "$missing" = 0 ] && return 0

  log "building ${BINARIES[*]} $KUBE_VERSION from the Go module proxy (about 5-8 minutes once)"
  local work; work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  (
    cd "$work"
    go mod init envtest-build >/dev/null 2>&1
    go mod edit -require="k8s.io/kubernetes@$KUBE_VERSION"
    # k8s.io/kubernetes replaces its staging modules with local paths; mirror that list with
    # released versions. The list is read from the module's own go.mod so it never drifts.
    local modfile
    modfile="$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
    grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging' "$modfile" | awk '{print $1}' | while read -r m; do
      go mod edit -replace="$m=$m@$STAGING_VERSION"
    done
    go mod tidy >/dev/null 2>&1 || true
    for b in "${BINARIES[@]}"; do
      echo "package tools; import _ \"k8s.io/kubernetes/cmd/$b\"" > "tools_$b.go"
    done
    go mod tidy >&2
    for b in "${BINARIES[@]}"; do
      CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$ASSETS/$b.tmp" "k8s.io/kubernetes/cmd/$b" >&2
      mv "$ASSETS/$b.tmp" "$ASSETS/$b"
    done
  )
}

mkdir -p "$ASSETS"
ensure_etcd
build_kube
echo "$ASSETS"
