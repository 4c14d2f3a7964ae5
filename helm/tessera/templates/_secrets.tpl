{{/* Where every secret comes from: the chart's Secret, the generated one, existing Secrets; per app and namespace. */}}

{{/* The Secret the pre-install hook Job creates once with whatever platform secret is not given. */}}
{{- define "tessera.generatedSecretName" -}}
{{ include "tessera.fullname" . }}-generated
{{- end -}}

{{/* The platform secrets the hook Job generates: JSON list of keys (empty with secrets.existingSecret). */}}
{{- define "tessera.generatedKeys" -}}
{{- $keys := list -}}
{{- if not .Values.secrets.existingSecret -}}
{{- if not .Values.secrets.adminToken }}{{ $keys = append $keys "TESSERA_ADMIN_TOKEN" }}{{ end -}}
{{- if not .Values.secrets.cookieKeys }}{{ $keys = append $keys "AUTH_COOKIE_KEYS" }}{{ end -}}
{{- if not .Values.secrets.encryptionKey }}{{ $keys = append $keys "TESSERA_ENCRYPTION_KEY" }}{{ end -}}
{{- if not .Values.secrets.queryHashKey }}{{ $keys = append $keys "TESSERA_QUERY_HASH_KEY" }}{{ end -}}
{{- end -}}
{{- toJson $keys -}}
{{- end -}}

{{/* Whether a dedicated tenant runs outside the release namespace. Call with (dict "root" $ "tenant" .). */}}
{{- define "tessera.tenantIsolated" -}}
{{- if and .tenant .tenant.namespace (ne .tenant.namespace .root.Release.Namespace) }}true{{ end -}}
{{- end -}}

{{- define "tessera.tenantSecretName" -}}
{{- default (printf "%s-gateway-%s" (include "tessera.fullname" .root) .tenant.name) .tenant.existingSecret -}}
{{- end -}}

{{- define "tessera.redisConfigured" -}}
{{- if or .Values.redis.url .Values.redis.existingSecret }}true{{ end -}}
{{- end -}}

{{- define "tessera.opensearchCredentials" -}}
{{- if and .Values.opensearch.enabled (or .Values.opensearch.existingSecret .Values.opensearch.username) }}true{{ end -}}
{{- end -}}

{{/*
Where each secret variable of one app comes from, as a JSON list of {env, name, key, optional}: exactly what that
app needs (the gateway no cookie or encryption keys and, in any namespace, not the admin token — only the query-hash
key it used to derive from it; tenant-api no cookie keys). Call with
(dict "root" $ "role" "auth" "tenant" <dedicated tenant or nil>).
*/}}
{{- define "tessera.secretSources" -}}
{{- $v := .root.Values -}}
{{- $chart := include "tessera.secretName" .root -}}
{{- $generated := include "tessera.generatedSecretName" .root -}}
{{- $redis := include "tessera.redisConfigured" .root -}}
{{- $os := include "tessera.opensearchCredentials" .root -}}
{{- $list := list -}}
{{- if include "tessera.tenantIsolated" . -}}
{{- $name := include "tessera.tenantSecretName" . -}}
{{- range concat (list "TESSERA_QUERY_HASH_KEY" "DATABASE_URL") (ternary (list "REDIS_URL") list (eq $redis "true")) (ternary (list "OPENSEARCH_USERNAME" "OPENSEARCH_PASSWORD") list (eq $os "true")) -}}
{{- $list = append $list (dict "env" . "name" $name "key" .) -}}
{{- end -}}
{{- else -}}
{{- $s := $v.secrets -}}
{{- $own := dict "TESSERA_ADMIN_TOKEN" (ternary $chart $generated (ne $s.adminToken "")) "AUTH_COOKIE_KEYS" (ternary $chart $generated (gt (len $s.cookieKeys) 0)) "TESSERA_ENCRYPTION_KEY" (ternary $chart $generated (ne $s.encryptionKey "")) "TESSERA_QUERY_HASH_KEY" (ternary $chart $generated (ne $s.queryHashKey "")) -}}
{{- $keys := list (ternary "TESSERA_QUERY_HASH_KEY" "TESSERA_ADMIN_TOKEN" (eq .role "mcp-gateway")) -}}
{{- if eq .role "auth" }}{{ $keys = append $keys "AUTH_COOKIE_KEYS" }}{{ end -}}
{{- if has .role (list "auth" "tenant-api") }}{{ $keys = append $keys "TESSERA_ENCRYPTION_KEY" }}{{ end -}}
{{- range $keys -}}
{{- $list = append $list (dict "env" . "name" (default (index $own .) $s.existingSecret) "key" .) -}}
{{- end -}}
{{- if has .role (list "auth" "tenant-api") -}}
{{- if $s.existingSecret -}}
{{- $list = append $list (dict "env" "TESSERA_PREVIOUS_ENCRYPTION_KEYS" "name" $s.existingSecret "key" "TESSERA_PREVIOUS_ENCRYPTION_KEYS" "optional" true) -}}
{{- else if $s.previousEncryptionKeys -}}
{{- $list = append $list (dict "env" "TESSERA_PREVIOUS_ENCRYPTION_KEYS" "name" $chart "key" "TESSERA_PREVIOUS_ENCRYPTION_KEYS") -}}
{{- else if not $s.encryptionKey -}}
{{- /* The hook Job records the key derived from an earlier chart's admin token here when it adopts that token. */ -}}
{{- $list = append $list (dict "env" "TESSERA_PREVIOUS_ENCRYPTION_KEYS" "name" $generated "key" "TESSERA_PREVIOUS_ENCRYPTION_KEYS" "optional" true) -}}
{{- end -}}
{{- end -}}
{{- if $v.database.existingSecret -}}
{{- $list = append $list (dict "env" "DATABASE_URL" "name" $v.database.existingSecret "key" $v.database.existingSecretKey) -}}
{{- else -}}
{{- $list = append $list (dict "env" "DATABASE_URL" "name" $chart "key" "DATABASE_URL") -}}
{{- end -}}
{{- if and $v.opensearch.enabled (ne .role "auth") -}}
{{- if $v.opensearch.existingSecret -}}
{{- $list = append $list (dict "env" "OPENSEARCH_USERNAME" "name" $v.opensearch.existingSecret "key" $v.opensearch.usernameKey "optional" true) -}}
{{- $list = append $list (dict "env" "OPENSEARCH_PASSWORD" "name" $v.opensearch.existingSecret "key" $v.opensearch.passwordKey "optional" true) -}}
{{- else if $v.opensearch.username -}}
{{- $list = append $list (dict "env" "OPENSEARCH_USERNAME" "name" $chart "key" "OPENSEARCH_USERNAME") -}}
{{- $list = append $list (dict "env" "OPENSEARCH_PASSWORD" "name" $chart "key" "OPENSEARCH_PASSWORD") -}}
{{- end -}}
{{- end -}}
{{- if $v.redis.existingSecret -}}
{{- $list = append $list (dict "env" "REDIS_URL" "name" $v.redis.existingSecret "key" $v.redis.existingSecretKey) -}}
{{- else if $v.redis.url -}}
{{- $list = append $list (dict "env" "REDIS_URL" "name" $chart "key" "REDIS_URL") -}}
{{- end -}}
{{- end -}}
{{- toJson $list -}}
{{- end -}}

{{/* The chart's own Secret data (values given literally) in the release namespace: a JSON object. */}}
{{- define "tessera.secretData" -}}
{{- $v := .Values -}}
{{- $data := dict -}}
{{- if not $v.secrets.existingSecret -}}
{{- with $v.secrets.adminToken }}{{ $_ := set $data "TESSERA_ADMIN_TOKEN" . }}{{ end -}}
{{- with $v.secrets.cookieKeys }}{{ $_ := set $data "AUTH_COOKIE_KEYS" (join "," .) }}{{ end -}}
{{- with $v.secrets.encryptionKey }}{{ $_ := set $data "TESSERA_ENCRYPTION_KEY" . }}{{ end -}}
{{- with $v.secrets.queryHashKey }}{{ $_ := set $data "TESSERA_QUERY_HASH_KEY" . }}{{ end -}}
{{- with $v.secrets.previousEncryptionKeys }}{{ $_ := set $data "TESSERA_PREVIOUS_ENCRYPTION_KEYS" (join "," .) }}{{ end -}}
{{- end -}}
{{- if not $v.database.existingSecret -}}
{{- $_ := set $data "DATABASE_URL" $v.database.url -}}
{{- end -}}
{{- if and $v.opensearch.enabled (not $v.opensearch.existingSecret) $v.opensearch.username -}}
{{- $_ := set $data "OPENSEARCH_USERNAME" $v.opensearch.username -}}
{{- $_ := set $data "OPENSEARCH_PASSWORD" $v.opensearch.password -}}
{{- end -}}
{{- if and $v.redis.url (not $v.redis.existingSecret) -}}
{{- $_ := set $data "REDIS_URL" $v.redis.url -}}
{{- end -}}
{{- toJson $data -}}
{{- end -}}

{{/* The Secret the chart renders for a dedicated tenant in its own namespace: only what its gateway needs. */}}
{{- define "tessera.tenantSecretData" -}}
{{- $v := .root.Values -}}
{{- $data := dict "TESSERA_QUERY_HASH_KEY" $v.secrets.queryHashKey "DATABASE_URL" $v.database.url -}}
{{- with $v.redis.url }}{{ $_ := set $data "REDIS_URL" . }}{{ end -}}
{{- if include "tessera.opensearchCredentials" .root -}}
{{- $_ := set $data "OPENSEARCH_USERNAME" $v.opensearch.username -}}
{{- $_ := set $data "OPENSEARCH_PASSWORD" $v.opensearch.password -}}
{{- end -}}
{{- toJson $data -}}
{{- end -}}

{{/*
Environment of an app container: settings come from the ConfigMap (envFrom), secrets one key at a time
(never envFrom a Secret, so a stray key in an existing Secret cannot switch anything on).
*/}}
{{- define "tessera.secretEnv" -}}
{{- range include "tessera.secretSources" . | fromJsonArray }}
- name: {{ .env }}
  valueFrom:
    secretKeyRef: { name: {{ .name }}, key: {{ .key }}{{ if .optional }}, optional: true{{ end }} }
{{- end }}
{{- end -}}

{{/*
checksum/secret: the referenced Secrets' names and keys, and the values of those the chart renders itself, so
a pod template changes (and pods roll) whenever any of them changes. Values in Secrets you manage are not
visible to a render: roll after changing them (see the deploy guide).
*/}}
{{- define "tessera.secretChecksum" -}}
{{- $sources := include "tessera.secretSources" . | fromJsonArray -}}
{{- $isolated := include "tessera.tenantIsolated" . -}}
{{- $data := include "tessera.secretData" .root | fromJson -}}
{{- $own := include "tessera.secretName" .root -}}
{{- if $isolated -}}
{{- $data = include "tessera.tenantSecretData" . | fromJson -}}
{{- $own = include "tessera.tenantSecretName" . -}}
{{- end -}}
{{- $used := list -}}
{{- range $sources -}}
{{- $used = append $used (list .name .key (ternary (index $data .key | default "") "" (eq .name $own))) -}}
{{- end -}}
{{- toJson $used | sha256sum -}}
{{- end -}}
