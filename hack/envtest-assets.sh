#!/usr/bin/env bash
# Prints the directory of the control-plane binaries (kube-apiserver, kubectl, kube-scheduler
# and etcd) for KUBEBUILDER_ASSETS, building them once if they are not cached yet:
#   "$(hack/envtest-assets.sh)"/kube-apiserver --version   # Kubernetes v1.36.3
# hack/tools.sh owns the versions, the cache and the build; this is a shortcut to it.
set -euo pipefail
tools="$(dirname "$0")/tools.sh"
"$tools" debian
"$tools" build kube
"$tools" path kube
