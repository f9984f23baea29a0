#!/usr/bin/env bash
# The one owner of the project's toolchain: the cache root, the tool versions, how each tool is
# built from the Go module proxy, and the Debian packages. Every other script, the Makefile and
# the tests call this; none of them builds or installs anything on its own.
#
#   hack/tools.sh deps           Debian packages, then every tool (what `make deps` runs)
#   hack/tools.sh debian         install the missing Debian packages (root; apt-get)
#   hack/tools.sh build TOOL...  build TOOL if it is not cached yet (kube, kwok, helm)
#   hack/tools.sh path TOOL      print where TOOL is; fail if it is not built (never builds)
#   hack/tools.sh versions       print TOOL VERSION lines
#
# TOOL "kube" is a directory (KUBEBUILDER_ASSETS): kube-apiserver, kubectl, kube-scheduler and
# kube-controller-manager (garbage collection, namespace deletion) built from k8s.io/kubernetes,
# plus a link to Debian's etcd. "kwok" and "helm" are binaries.
#
# Guarantees:
# - Pinned: a build requires exactly the version below, whatever the proxy serves as newest,
#   stamps it the way the tool's own release build does, and fails loudly when the built binary
#   does not report it.
# - Concurrent-safe: builds of one tool are serialised with flock(1) on a lock file in the
#   cache, and each build writes to a temporary directory unique to the caller before one
#   rename, so two callers started at once on an empty cache both succeed with one build.
# - The cache root is ELASTIC_YARN_CACHE, else $XDG_CACHE_HOME/elastic-yarn-operator, else
#   ~/.cache/elastic-yarn-operator. Deleting it is always safe.
set -euo pipefail

KUBE_VERSION="v1.36.3"  # the kube-apiserver tests, the demo and the scale run use; matches go.mod's k8s.io/* v0.36.3
KWOK_VERSION="v0.8.0"   # kwok's own go.mod requires k8s.io/* v0.35, which serves a 1.36 apiserver
HELM_VERSION="v3.21.4"  # needs go 1.26.0, k8s.io/client-go v0.36.2; its go.mod has no replace directives
# Debian packages, with the command that tells each is installed (tests run their own instances
# on loopback; the packaged services are never started).
DEBIAN_PACKAGES=(
  "etcd-server:etcd"                   # envtest and the local control plane
  "krb5-kdc:krb5kdc"                   # the real MIT KDC (test/kdc)
  "krb5-admin-server:kadmin.local"     # creates the KDC's principals and keytabs
  "krb5-user:kinit"                    # kinit/klist for the keytab checks
  "prometheus:prometheus"              # the real Prometheus (test/prometheus, demo, scale)
  "default-jdk-headless:javac"         # real JVMs with SIGPWR handlers (guarder tests)
)

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
CACHE_ROOT="${ELASTIC_YARN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/elastic-yarn-operator}"

log() { echo "tools: $*" >&2; }
die() { log "$*"; exit 1; }

version_of() {
  case "$1" in
    kube) echo "$KUBE_VERSION" ;;
    kwok) echo "$KWOK_VERSION" ;;
    helm) echo "$HELM_VERSION" ;;
    *) die "unknown tool '$1' (known: kube kwok helm)" ;;
  esac
}

# dir_of is the cache directory of one tool at its pinned version; path_of what callers use.
dir_of() { echo "$CACHE_ROOT/tools/$1-$(version_of "$1")"; }
path_of() {
  case "$1" in
    kube) dir_of kube ;;
    *) echo "$(dir_of "$1")/$1" ;;
  esac
}

# complete is true once a build has renamed its finished directory into place; the marker is
# written last inside the temporary directory, so a half-built tool is never seen as done.
complete() { [ -f "$(dir_of "$1")/.complete" ]; }

# --- Debian ------------------------------------------------------------------------------

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }

debian() {
  local need=() entry
  for entry in "${DEBIAN_PACKAGES[@]}"; do
    have "${entry#*:}" || need+=("${entry%%:*}")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    die "missing Debian packages: ${need[*]}; as root: apt-get install --no-install-recommends ${need[*]}"
  fi
  log "installing ${need[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  # apt's own lock serialises concurrent callers; wait for it rather than fail.
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  for entry in "${DEBIAN_PACKAGES[@]}"; do
    have "${entry#*:}" || die "${entry%%:*} installed but ${entry#*:} is still missing"
  done
}

# --- Go tool builds ----------------------------------------------------------------------

# new_module starts a throw-away module in the current directory that imports the command
# packages given. Tools are never built through the project's go.mod: their k8s.io/*
# requirements would fight our own pins. The imports come first, so that no `go mod tidy` can
# drop a requirement and fall back to the newest release the proxy serves.
new_module() {
  export GOFLAGS=-mod=mod GOWORK=off GOTOOLCHAIN=local
  go mod init "tools-build" >/dev/null 2>&1
  local pkg i=0
  for pkg in "$@"; do
    echo "package tools; import _ \"$pkg\"" >"tools_$((i++)).go"
  done
}

# require_module pins module@version for the imported packages, then checks the result.
require_module() {
  go get "$1@$2" >&2
  go mod tidy >&2
  require_exact "$1" "$2"
}

# require_exact fails unless the module graph selected exactly the pinned version.
require_exact() {
  local got
  got="$(go list -m -f '{{.Version}}' "$1")"
  [ "$got" = "$2" ] || die "$1 resolved to $got, not the pinned $2"
}

build_kube() {
  local out="$1" v="$KUBE_VERSION" staging="v0.${KUBE_VERSION#v1.}"
  local bins=(kube-apiserver kubectl kube-scheduler kube-controller-manager) b
  new_module "${bins[@]/#/k8s.io/kubernetes/cmd/}"
  go mod edit -require="k8s.io/kubernetes@$v"
  # k8s.io/kubernetes replaces its staging modules with ./staging paths; mirror that list, read
  # from the module's own go.mod so it never drifts, with the matching v0.x releases.
  local modfile m
  modfile="$(go mod download -json "k8s.io/kubernetes@$v" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [ -f "$modfile" ] || die "k8s.io/kubernetes@$v: no go.mod from the module proxy"
  for m in $(grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging' "$modfile" | awk '{print $1}'); do
    go mod edit -replace="$m=$m@$staging"
  done
  go mod tidy >&2
  require_exact k8s.io/kubernetes "$v"
  # Stamp the version as Kubernetes' hack/lib/version.sh (kube::version::ldflags) does, into
  # both version packages, so that `kube-apiserver --version` prints "Kubernetes $v" and the
  # apiserver's /version reports it (helm checks a chart's kubeVersion against it).
  local minor="${v#v1.}" ldflags="-s -w" pkg
  minor="${minor%%.*}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  for b in "${bins[@]}"; do
    CGO_ENABLED=0 go build -trimpath -ldflags="$ldflags" -o "$out/$b" "k8s.io/kubernetes/cmd/$b" >&2
  done
  check_reports "$out/kube-apiserver --version" "Kubernetes $v"
  check_reports "$out/kube-scheduler --version" "Kubernetes $v"
  check_reports "$out/kube-controller-manager --version" "Kubernetes $v"
  check_reports "$out/kubectl version --client" "Client Version: $v"
}

build_kwok() {
  local out="$1" v="$KWOK_VERSION"
  new_module sigs.k8s.io/kwok/cmd/kwok
  require_module sigs.k8s.io/kwok "$v"
  # kwok's Makefile stamps its version into pkg/consts.
  CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$v" \
    -o "$out/kwok" sigs.k8s.io/kwok/cmd/kwok >&2
  check_reports "$out/kwok --version" "$v"
}

build_helm() {
  local out="$1" v="$HELM_VERSION"
  new_module helm.sh/helm/v3/cmd/helm
  require_module helm.sh/helm/v3 "$v"
  # What helm's own Makefile sets through the linker: its version, and the Kubernetes version
  # `helm template` and `helm lint` assume (client-go v0.X.Y means 1.X; without it helm assumes
  # v1.20 and rejects charts with a newer kubeVersion).
  local kver major minor
  kver="$(go list -m -f '{{.Version}}' k8s.io/client-go)"; kver="${kver#v}"
  major=$(( ${kver%%.*} + 1 )); minor="${kver#*.}"; minor="${minor%%.*}"
  local ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$v" pkg
  for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
    ldflags+=" -X $pkg.k8sVersionMajor=$major -X $pkg.k8sVersionMinor=$minor"
  done
  CGO_ENABLED=0 go build -trimpath -ldflags="$ldflags" -o "$out/helm" helm.sh/helm/v3/cmd/helm >&2
  check_reports "$out/helm version --template {{.Version}}" "$v"
}

# check_reports runs a version command and fails unless its output contains the expected text.
check_reports() {
  local cmd="$1" want="$2" got
  got="$($cmd 2>&1 || true)"
  case "$got" in
    *"$want"*) ;;
    *) die "built binary reports the wrong version: \`$cmd\` printed '$got', want '$want'" ;;
  esac
}

# build builds one tool once: under its lock, into a directory unique to this caller, renamed
# into place only when complete and checked.
build() {
  local tool="$1" v dir
  v="$(version_of "$tool")"; dir="$(dir_of "$tool")"
  complete "$tool" && return 0
  mkdir -p "$CACHE_ROOT/tools" "$CACHE_ROOT/locks"
  exec {lock}>"$CACHE_ROOT/locks/$tool-$v.lock"
  if ! flock -n "$lock"; then
    log "waiting for another build of $tool $v to finish"
    flock "$lock"
  fi
  if ! complete "$tool"; then
    local started tmp work
    started=$(date +%s)
    tmp="$(mktemp -d "$CACHE_ROOT/tools/.$tool-$v.XXXXXX")"
    chmod 755 "$tmp"
    work="$(mktemp -d)"
    trap 'rm -rf "$tmp" "$work"' EXIT
    log "building $tool $v from the Go module proxy"
    # A separate process, so that errexit holds inside the build (bash ignores it in a
    # function whose status is tested).
    (cd "$work" && "$SELF" _build-into "$tool" "$tmp") || die "building $tool $v failed"
    rm -rf "$work"
    touch "$tmp/.complete"
    rm -rf "$dir"
    mv -T "$tmp" "$dir"
    trap - EXIT
    log "built $tool $v in $(( $(date +%s) - started ))s"
  fi
  flock -u "$lock"
  exec {lock}>&-
  [ "$tool" = kube ] && link_etcd
  return 0
}

# link_etcd puts Debian's etcd beside kube-apiserver, where envtest looks for it.
link_etcd() {
  local etcd; etcd="$(command -v etcd)" || die "etcd is missing: run hack/tools.sh debian (as root)"
  ln -sfn "$etcd" "$(dir_of kube)/etcd"
}

path() {
  local tool="$1"
  complete "$tool" || die "$tool $(version_of "$tool") is not built in $CACHE_ROOT; run 'make deps'"
  if [ "$tool" = kube ] && [ ! -e "$(dir_of kube)/etcd" ]; then link_etcd; fi
  path_of "$tool"
}

ALL_TOOLS=(kube kwok helm)

case "${1:-}" in
  deps) debian; for t in "${ALL_TOOLS[@]}"; do build "$t"; done ;;
  debian) debian ;;
  build) shift; [ $# -gt 0 ] || die "build: name a tool (${ALL_TOOLS[*]})"; for t in "$@"; do build "$t"; done ;;
  path) [ $# -eq 2 ] || die "path: name one tool"; path "$2" ;;
  _build-into) "build_$2" "$3" ;;  # internal: one build, in the current directory
  versions) for t in "${ALL_TOOLS[@]}"; do echo "$t $(version_of "$t")"; done ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
