{{/*
The generated roles: files/role.yaml is config/rbac/role.yaml, copied byte for byte by
hack/sync-chart.sh. Returns {"items": [ClusterRole or Role objects]} as YAML.
*/}}
{{- define "eyo.generatedRoles" -}}
{{- $raw := .Files.Get "files/role.yaml" }}
{{- if not $raw }}{{ fail "files/role.yaml is missing: run hack/sync-chart.sh" }}{{ end }}
{{- $items := list }}
{{- range $doc := regexSplit "(?m)^---[ \t]*$" $raw -1 }}
{{- $obj := fromYaml $doc }}
{{- if $obj.kind }}
{{- if not (has $obj.kind (list "ClusterRole" "Role")) }}{{ fail (printf "files/role.yaml: unexpected kind %s" $obj.kind) }}{{ end }}
{{- $items = append $items $obj }}
{{- end }}
{{- end }}
{{- toYaml (dict "items" $items) }}
{{- end }}

{{/*
The namespace of the generated Roles in config/ (the kustomize install's namespace). Roles made
for it go into the release namespace; Roles for any other namespace stay where they were made.
*/}}
{{- define "eyo.generatedNamespace" -}}elastic-yarn-system{{- end }}

{{/*
Resources that are not namespaced (by resource name, subresources included). Only used to split
the ClusterRole when watchNamespaces is set: these rules keep a ClusterRoleBinding.
*/}}
{{- define "eyo.clusterScopedResources" -}}
{{- toYaml (list "nodes" "namespaces" "persistentvolumes" "customresourcedefinitions"
  "clusterroles" "clusterrolebindings" "priorityclasses" "storageclasses" "csinodes" "csidrivers"
  "volumeattachments" "runtimeclasses" "ingressclasses" "validatingwebhookconfigurations"
  "mutatingwebhookconfigurations" "apiservices" "certificatesigningrequests" "tokenreviews"
  "subjectaccessreviews" "selfsubjectaccessreviews" "selfsubjectrulesreviews"
  "componentstatuses" "nodemetrics" "nodeslos" "noderesourcetopologies" "devices") }}
{{- end }}

{{/*
Splits the ClusterRole rules into {"cluster": [...], "namespaced": [...]}: a rule naming both
kinds of resource is cut in two with the same verbs; nonResourceURLs rules are cluster-wide.
*/}}
{{- define "eyo.splitRules" -}}
{{- $scoped := include "eyo.clusterScopedResources" . | fromYamlArray }}
{{- $cluster := list }}{{- $namespaced := list }}
{{- range $rule := .rules }}
{{- if $rule.nonResourceURLs }}
{{- $cluster = append $cluster $rule }}
{{- else }}
{{- $cl := list }}{{- $ns := list }}
{{- range $res := $rule.resources }}
{{- if has (first (splitList "/" $res)) $scoped }}{{ $cl = append $cl $res }}{{ else }}{{ $ns = append $ns $res }}{{ end }}
{{- end }}
{{- if $cl }}{{ $cluster = append $cluster (set (deepCopy $rule) "resources" $cl) }}{{ end }}
{{- if $ns }}{{ $namespaced = append $namespaced (set (deepCopy $rule) "resources" $ns) }}{{ end }}
{{- end }}
{{- end }}
{{- toYaml (dict "cluster" $cluster "namespaced" $namespaced) }}
{{- end }}
