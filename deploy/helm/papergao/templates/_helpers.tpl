{{/* The release's object name: the release name, with the chart's unless it already holds it (63 characters at most). */}}
{{- define "papergao.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "papergao.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "papergao.labels" -}}
{{ include "papergao.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Refuses values that cannot work, before anything is applied. */}}
{{- define "papergao.validate" -}}
{{- if not (has .Values.database (list "sqlite" "postgres")) -}}
{{- fail (printf "database must be sqlite or postgres, not %q" (toString .Values.database)) -}}
{{- end -}}
{{- if and (eq .Values.database "sqlite") (ne (int .Values.replicaCount) 1) -}}
{{- fail "database sqlite runs exactly 1 replica (SQLite has one writer): use database postgres for more" -}}
{{- end -}}
{{- if and (eq .Values.database "postgres") (not .Values.postgres.existingSecret) -}}
{{- fail "database postgres needs postgres.existingSecret (the Secret with the connection string)" -}}
{{- end -}}
{{- if lt (int .Values.replicaCount) 1 -}}
{{- fail "replicaCount must be 1 or more" -}}
{{- end -}}
{{- end -}}
