{{/* Names, labels and shared values. */}}

{{- define "tessera.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "tessera.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels every object carries. Call with (dict "root" $ "component" "auth"). */}}
{{- define "tessera.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{ include "tessera.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: tessera
{{- end -}}

{{- define "tessera.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tessera.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- if .component }}
app.kubernetes.io/component: {{ .component }}
{{- end }}
{{- if .dedicated }}
tessera.dev/dedicated-gateway: {{ .dedicated }}
{{- end }}
{{- end -}}

{{/* Every pod of the release, in any namespace (for the default-deny policy). */}}
{{- define "tessera.releaseSelector" -}}
app.kubernetes.io/name: {{ include "tessera.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "tessera.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ $tag }}
{{- end -}}
{{- end -}}

{{- define "tessera.publicUrl" -}}
{{- if .Values.publicUrl -}}
{{- .Values.publicUrl | trimSuffix "/" -}}
{{- else -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.tls.enabled) .Values.host -}}
{{- end -}}
{{- end -}}

{{- define "tessera.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "tessera.fullname" .)) .Values.tls.secretName -}}
{{- end -}}

{{- define "tessera.configMapName" -}}
{{ include "tessera.fullname" . }}-config
{{- end -}}

{{/* The chart's own Secret: secrets given as values (see _secrets.tpl). */}}
{{- define "tessera.secretName" -}}
{{ include "tessera.fullname" . }}
{{- end -}}

{{- define "tessera.serviceAccountName" -}}
{{ include "tessera.fullname" . }}
{{- end -}}

{{- define "tessera.controllerServiceAccountName" -}}
{{ include "tessera.fullname" . }}-workspace-controller
{{- end -}}

{{- define "tessera.serviceName" -}}
{{ include "tessera.fullname" .root }}-{{ .component }}
{{- end -}}

{{/* In-cluster base URL of the auth Service: apps reach it there, not through the public host. */}}
{{- define "tessera.authServiceUrl" -}}
http://{{ include "tessera.fullname" . }}-auth.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}
{{- end -}}

{{/* Where the gateway fetches JWKS. */}}
{{- define "tessera.authJwksUrl" -}}
{{ include "tessera.authServiceUrl" . }}/oauth/jwks
{{- end -}}

{{/* Where the console's backend (tenant-api) exchanges and revokes its tokens: config.consoleAuthUrl, else the auth Service. */}}
{{- define "tessera.consoleAuthUrl" -}}
{{ default (include "tessera.authServiceUrl" .) .Values.config.consoleAuthUrl | trimSuffix "/" }}
{{- end -}}

{{/* Namespaces other than the release's that dedicated gateways run in. */}}
{{- define "tessera.extraNamespaces" -}}
{{- $seen := list -}}
{{- range .Values.dedicatedTenants -}}
{{- if and .namespace (ne .namespace $.Release.Namespace) (not (has .namespace $seen)) -}}
{{- $seen = append $seen .namespace -}}
{{- end -}}
{{- end -}}
{{- toJson $seen -}}
{{- end -}}

{{/* Fails the render on settings that are missing, unsafe or cannot work. */}}
{{- define "tessera.validate" -}}
{{- $_ := required "host is required: set host to the public DNS name the connectors are served on (e.g. --set host=tessera.example.com)" .Values.host -}}
{{- $_ := required "database is required: set database.url to a postgres:// URL, or database.existingSecret (and database.existingSecretKey) to a Secret that holds one" (or .Values.database.url .Values.database.existingSecret) -}}
{{- if and .Values.opensearch.enabled (not .Values.opensearch.url) -}}
{{- fail "opensearch.url is required when opensearch.enabled is true" -}}
{{- end -}}
{{- if and .Values.opensearch.enabled .Values.opensearch.caSecret (not (hasPrefix "https://" .Values.opensearch.url)) -}}
{{- fail "opensearch.url must be https:// when opensearch.caSecret is set" -}}
{{- end -}}
{{- if and .Values.opensearch.enabled (or .Values.opensearch.username .Values.opensearch.password) (not (and .Values.opensearch.username .Values.opensearch.password)) -}}
{{- fail "opensearch.username and opensearch.password go together" -}}
{{- end -}}
{{- if and .Values.httpRoute.enabled (not .Values.httpRoute.parentRefs) -}}
{{- fail "httpRoute.parentRefs must name the Gateway when httpRoute.enabled is true" -}}
{{- end -}}
{{- range .Values.extraEnv -}}
{{- if hasPrefix "TESSERA_DEV_" (upper .name) -}}
{{- fail (printf "extraEnv: %s is a development switch and cannot be set through the chart" .name) -}}
{{- end -}}
{{- if eq (hasKey . "value") (hasKey . "valueFrom") -}}
{{- fail (printf "extraEnv: %s needs exactly one of value and valueFrom" .name) -}}
{{- end -}}
{{- end -}}
{{- $tenants := list -}}
{{- $names := list -}}
{{- range .Values.dedicatedTenants -}}
{{- if has .name $names -}}
{{- fail (printf "dedicatedTenants: the name %q is used twice" .name) -}}
{{- end -}}
{{- $names = append $names .name -}}
{{- range .tenants -}}
{{- if has . $tenants -}}
{{- fail (printf "dedicatedTenants: tenant %q is listed in more than one entry" .) -}}
{{- end -}}
{{- $tenants = append $tenants . -}}
{{- end -}}
{{- if and .quota (not .namespace) -}}
{{- fail (printf "dedicatedTenants[%s].quota needs a namespace of its own" .name) -}}
{{- end -}}
{{- if and (include "tessera.tenantIsolated" (dict "root" $ "tenant" .)) (not .existingSecret) -}}
{{- $v := $.Values -}}
{{- if or $v.secrets.existingSecret (not $v.secrets.queryHashKey) $v.database.existingSecret $v.redis.existingSecret (and $v.opensearch.enabled $v.opensearch.existingSecret) -}}
{{- fail (printf "dedicatedTenants[%s] runs in namespace %s, where Secrets of the release namespace cannot be read: set dedicatedTenants[%s].existingSecret to a Secret in %s with the keys TESSERA_QUERY_HASH_KEY and DATABASE_URL%s%s (or give secrets.queryHashKey, database.url%s as values)" .name .namespace .name .namespace (ternary ", REDIS_URL" "" (eq (include "tessera.redisConfigured" $) "true")) (ternary ", OPENSEARCH_USERNAME, OPENSEARCH_PASSWORD" "" (eq (include "tessera.opensearchCredentials" $) "true")) (ternary ", redis.url" "" (eq (include "tessera.redisConfigured" $) "true"))) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
