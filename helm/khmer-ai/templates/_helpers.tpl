{{/* A resource's name: the release's, then the part's. */}}
{{- define "khmer-ai.name" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "khmer-ai.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: khmer-ai
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "khmer-ai.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* The JDBC URL of a service's database. */}}
{{- define "khmer-ai.jdbcUrl" -}}
{{- printf "jdbc:postgresql://%s:%v/%s" .root.Values.postgres.host .root.Values.postgres.port .database -}}
{{- end -}}

{{/*
The model servers a service calls, as its khmer-ai.<service>.servers list (environment variables),
numbered in the order modelServers lists them.
*/}}
{{- define "khmer-ai.modelServerEnv" -}}
{{- $root := .root -}}
{{- $prefix := printf "KHMER_AI_%s_SERVERS" (upper .service) -}}
{{- $index := 0 -}}
{{- range $server := $root.Values.modelServers }}
{{- range $use := $server.uses }}
{{- if eq $use.service $.service }}
{{- if and (eq $.service "llm") (eq (default "chat" $server.api) "completions") }}
{{- fail (printf "model server %s answers through the completions API; the llm service needs chat servers" $server.name) }}
{{- end }}
- name: {{ printf "%s_%d_ALIAS" $prefix $index }}
  value: {{ $use.alias | quote }}
- name: {{ printf "%s_%d_NAME" $prefix $index }}
  value: {{ $server.name | quote }}
- name: {{ printf "%s_%d_URL" $prefix $index }}
  value: {{ $server.url | default (printf "http://%s:8000" (include "khmer-ai.name" (dict "root" $root "name" (printf "model-%s" $server.name)))) | quote }}
- name: {{ printf "%s_%d_MODEL" $prefix $index }}
  value: {{ $server.model | quote }}
{{- if eq (default "chat" $server.api) "completions" }}
- name: {{ printf "%s_%d_API" $prefix $index }}
  value: completions
- name: {{ printf "%s_%d_PROMPT_TEMPLATE" $prefix $index }}
  value: {{ required (printf "model server %s answers through the completions API and needs a promptTemplate" $server.name) $server.promptTemplate | quote }}
{{- end }}
{{- $index = add1 $index }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}
