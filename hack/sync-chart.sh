#!/usr/bin/env bash
# Copies the generated manifests into the Helm chart so the chart can never drift from them:
#   config/crd/bases/*.yaml -> charts/elastic-yarn-operator/files/crds/ (byte for byte;
#                              templates/crds.yaml renders them, see docs/install.md)
#   config/rbac/role.yaml   -> charts/elastic-yarn-operator/files/role.yaml (byte for byte;
#                              the RBAC templates read its rules with .Files.Get)
# Run by `make manifests` right after controller-gen; `make verify` then fails on any hand edit.
# Files in files/crds/ that no longer exist in config/crd/bases are removed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHART="$ROOT/charts/elastic-yarn-operator"

mkdir -p "$CHART/files/crds"
find "$CHART/files/crds" -maxdepth 1 -name '*.yaml' -delete
cp "$ROOT"/config/crd/bases/*.yaml "$CHART/files/crds/"
cp "$ROOT/config/rbac/role.yaml" "$CHART/files/role.yaml"
