{{/* Chart name, shortened to the 63 characters of a label value. */}}
{{- define "eyo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the chart's objects. */}}
{{- define "eyo.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "eyo.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "eyo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: elastic-yarn-operator
{{- end }}

{{/* Labels that select the operator's pods. */}}
{{- define "eyo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "eyo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Name of the ServiceAccount. */}}
{{- define "eyo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "eyo.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* An image reference from {repository, tag, digest}; the tag defaults to appVersion. */}}
{{- define "eyo.image" -}}
{{- $img := index . 0 }}{{- $root := index . 1 }}
{{- if $img.digest }}
{{- printf "%s@%s" $img.repository $img.digest }}
{{- else }}
{{- printf "%s:%s" $img.repository (default $root.Chart.AppVersion $img.tag) }}
{{- end }}
{{- end }}

{{/* Whole seconds of a Go duration made of s/m/h parts ("30s", "1m30s"), for pod fields. */}}
{{- define "eyo.seconds" -}}
{{- $total := 0 }}
{{- range $part := regexFindAll "[0-9]+[hms]" . -1 }}
{{- $n := int (trimSuffix "h" (trimSuffix "m" (trimSuffix "s" $part))) }}
{{- if hasSuffix "h" $part }}{{ $total = add $total (mul $n 3600) }}
{{- else if hasSuffix "m" $part }}{{ $total = add $total (mul $n 60) }}
{{- else }}{{ $total = add $total $n }}{{ end }}
{{- end }}
{{- $total }}
{{- end }}
