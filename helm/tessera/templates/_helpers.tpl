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

{{/* The Secret with the admin token and, unless existing Secrets are named, the connection URLs. */}}
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

{{/* In-cluster URL of the auth Service: the gateway fetches JWKS there, not through the public host. */}}
{{- define "tessera.authJwksUrl" -}}
http://{{ include "tessera.fullname" . }}-auth.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}/oauth/jwks
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
app needs (the gateway no cookie or encryption keys, tenant-api no cookie keys). Call with
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
{{- range concat (list "TESSERA_ADMIN_TOKEN" "DATABASE_URL") (ternary (list "REDIS_URL") list (eq $redis "true")) (ternary (list "OPENSEARCH_USERNAME" "OPENSEARCH_PASSWORD") list (eq $os "true")) -}}
{{- $list = append $list (dict "env" . "name" $name "key" .) -}}
{{- end -}}
{{- else -}}
{{- $s := $v.secrets -}}
{{- $own := dict "TESSERA_ADMIN_TOKEN" (ternary $chart $generated (ne $s.adminToken "")) "AUTH_COOKIE_KEYS" (ternary $chart $generated (gt (len $s.cookieKeys) 0)) "TESSERA_ENCRYPTION_KEY" (ternary $chart $generated (ne $s.encryptionKey "")) -}}
{{- $keys := list "TESSERA_ADMIN_TOKEN" -}}
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
{{- $data := dict "TESSERA_ADMIN_TOKEN" $v.secrets.adminToken "DATABASE_URL" $v.database.url -}}
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
{{- if or $v.secrets.existingSecret (not $v.secrets.adminToken) $v.database.existingSecret $v.redis.existingSecret (and $v.opensearch.enabled $v.opensearch.existingSecret) -}}
{{- fail (printf "dedicatedTenants[%s] runs in namespace %s, where Secrets of the release namespace cannot be read: set dedicatedTenants[%s].existingSecret to a Secret in %s with the keys TESSERA_ADMIN_TOKEN and DATABASE_URL%s%s (or give secrets.adminToken, database.url%s as values)" .name .namespace .name .namespace (ternary ", REDIS_URL" "" (eq (include "tessera.redisConfigured" $) "true")) (ternary ", OPENSEARCH_USERNAME, OPENSEARCH_PASSWORD" "" (eq (include "tessera.opensearchCredentials" $) "true")) (ternary ", redis.url" "" (eq (include "tessera.redisConfigured" $) "true"))) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Pod security context: the hardened defaults, without fixed IDs in OpenShift mode, with overrides on top. */}}
{{- define "tessera.podSecurityContext" -}}
{{- $context := dict "runAsNonRoot" true "seccompProfile" (dict "type" "RuntimeDefault") -}}
{{- if not .Values.openshift -}}
{{- $context = merge $context (dict "runAsUser" 10001 "runAsGroup" 10001 "fsGroup" 10001) -}}
{{- end -}}
{{- toYaml (mergeOverwrite $context (deepCopy .Values.podSecurityContext)) -}}
{{- end -}}

{{- define "tessera.containerSecurityContext" -}}
{{- $context := dict "runAsNonRoot" true "allowPrivilegeEscalation" false "privileged" false "readOnlyRootFilesystem" true "capabilities" (dict "drop" (list "ALL")) "seccompProfile" (dict "type" "RuntimeDefault") -}}
{{- if not .Values.openshift -}}
{{- $context = merge $context (dict "runAsUser" 10001 "runAsGroup" 10001) -}}
{{- end -}}
{{- toYaml (mergeOverwrite $context (deepCopy .Values.containerSecurityContext)) -}}
{{- end -}}

{{- define "tessera.extraEnv" -}}
{{- range .Values.extraEnv }}
- name: {{ .name }}
  {{- if hasKey . "valueFrom" }}
  valueFrom:
    {{- toYaml .valueFrom | nindent 4 }}
  {{- else }}
  value: {{ .value | quote }}
  {{- end }}
{{- end }}
{{- end -}}

{{- define "tessera.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}

{{/* OpenSearch's CA and per-workspace credentials, as read-only files from Secrets (apps that search). */}}
{{- define "tessera.opensearchVolumeMounts" -}}
{{- if and .Values.opensearch.enabled .Values.opensearch.caSecret }}
- { name: opensearch-ca, mountPath: /etc/tessera/opensearch-ca, readOnly: true }
{{- end }}
{{- if and .Values.opensearch.enabled .Values.opensearch.workspaceCredentialsSecret }}
- { name: opensearch-workspaces, mountPath: /etc/tessera/opensearch-workspaces, readOnly: true }
{{- end }}
{{- end -}}

{{- define "tessera.opensearchVolumes" -}}
{{- if and .Values.opensearch.enabled .Values.opensearch.caSecret }}
- name: opensearch-ca
  secret:
    secretName: {{ .Values.opensearch.caSecret }}
    items: [{ key: {{ .Values.opensearch.caSecretKey }}, path: {{ .Values.opensearch.caSecretKey }} }]
    defaultMode: 0440
{{- end }}
{{- if and .Values.opensearch.enabled .Values.opensearch.workspaceCredentialsSecret }}
- name: opensearch-workspaces
  secret:
    secretName: {{ .Values.opensearch.workspaceCredentialsSecret }}
    defaultMode: 0440
{{- end }}
{{- end -}}

{{/* Scheduling of a pod: the app's own nodeSelector/tolerations, else the release-wide ones; affinity,
priorityClassName and the spread constraints. Call with (dict "root" $ "component" … "dedicated" … "app" <values or nil>). */}}
{{- define "tessera.podScheduling" -}}
{{- $ctx := . -}}
{{- $v := .root.Values -}}
{{- $app := .app | default dict -}}
{{- with $app.nodeSelector | default $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $app.tolerations | default $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- if $app.topologySpread }}
topologySpreadConstraints:
{{- if $v.topologySpreadConstraints }}
{{- range $v.topologySpreadConstraints }}
  - {{- toYaml (merge (deepCopy .) (dict "labelSelector" (dict "matchLabels" (include "tessera.selectorLabels" $ctx | fromYaml)))) | nindent 4 }}
{{- end }}
{{- else }}
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "tessera.selectorLabels" $ctx | nindent 8 }}
    matchLabelKeys: [pod-template-hash]
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "tessera.selectorLabels" $ctx | nindent 8 }}
    matchLabelKeys: [pod-template-hash]
{{- end }}
{{- end }}
{{- end -}}

{{/* podLabels without the chart's own labels (which selectors depend on). */}}
{{- define "tessera.podLabels" -}}
{{- $labels := dict -}}
{{- range $key, $value := .Values.podLabels -}}
{{- if not (or (hasPrefix "app.kubernetes.io/" $key) (hasPrefix "tessera.dev/" $key) (eq $key "helm.sh/chart")) -}}
{{- $_ := set $labels $key $value -}}
{{- end -}}
{{- end -}}
{{- with $labels }}{{ toYaml . }}{{ end -}}
{{- end -}}

{{- define "tessera.extraVolumeMounts" -}}
{{- with .Values.extraVolumeMounts }}{{ toYaml . }}{{ end -}}
{{- end -}}

{{- define "tessera.extraVolumes" -}}
{{- with .Values.extraVolumes }}{{ toYaml . }}{{ end -}}
{{- end -}}
