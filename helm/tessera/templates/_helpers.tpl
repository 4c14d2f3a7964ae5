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

{{/* Fails the render on settings that would be unsafe or cannot work. */}}
{{- define "tessera.validate" -}}
{{- if and (not .Values.database.url) (not .Values.database.existingSecret) -}}
{{- fail "database.url or database.existingSecret is required: Tessera needs an external PostgreSQL" -}}
{{- end -}}
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
{{- end -}}
{{- end -}}

{{- define "tessera.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "tessera.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Environment of an app container: settings come from the ConfigMap (envFrom), secrets one key at a time
(never envFrom a Secret, so a stray key in an existing Secret cannot switch anything on).
*/}}
{{- define "tessera.secretEnv" -}}
{{- $secret := include "tessera.secretName" . -}}
- name: TESSERA_ADMIN_TOKEN
  valueFrom:
    secretKeyRef: { name: {{ default $secret .Values.secrets.existingSecret }}, key: TESSERA_ADMIN_TOKEN }
{{- if or .Values.secrets.existingSecret .Values.secrets.cookieKeys }}
- name: AUTH_COOKIE_KEYS
  valueFrom:
    secretKeyRef: { name: {{ default $secret .Values.secrets.existingSecret }}, key: AUTH_COOKIE_KEYS, optional: true }
{{- end }}
{{- if or .Values.secrets.existingSecret .Values.secrets.encryptionKey }}
- name: TESSERA_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef: { name: {{ default $secret .Values.secrets.existingSecret }}, key: TESSERA_ENCRYPTION_KEY, optional: true }
{{- end }}
- name: DATABASE_URL
  valueFrom:
    {{- if .Values.database.existingSecret }}
    secretKeyRef: { name: {{ .Values.database.existingSecret }}, key: {{ .Values.database.existingSecretKey }} }
    {{- else }}
    secretKeyRef: { name: {{ $secret }}, key: DATABASE_URL }
    {{- end }}
{{- if .Values.opensearch.enabled }}
{{- if .Values.opensearch.existingSecret }}
- name: OPENSEARCH_USERNAME
  valueFrom:
    secretKeyRef: { name: {{ .Values.opensearch.existingSecret }}, key: {{ .Values.opensearch.usernameKey }}, optional: true }
- name: OPENSEARCH_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ .Values.opensearch.existingSecret }}, key: {{ .Values.opensearch.passwordKey }}, optional: true }
{{- else if .Values.opensearch.username }}
- name: OPENSEARCH_USERNAME
  valueFrom:
    secretKeyRef: { name: {{ $secret }}, key: OPENSEARCH_USERNAME }
- name: OPENSEARCH_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ $secret }}, key: OPENSEARCH_PASSWORD }
{{- end }}
{{- end }}
{{- if .Values.redis.existingSecret }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef: { name: {{ .Values.redis.existingSecret }}, key: {{ .Values.redis.existingSecretKey }} }
{{- else if .Values.redis.url }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef: { name: {{ $secret }}, key: REDIS_URL }
{{- end }}
{{- end -}}

{{- define "tessera.extraEnv" -}}
{{- range .Values.extraEnv }}
- name: {{ .name }}
  value: {{ .value | quote }}
{{- end }}
{{- end -}}

{{- define "tessera.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}

{{/* OpenSearch's CA and per-workspace credentials, as read-only files from Secrets. */}}
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

{{- define "tessera.podScheduling" -}}
{{- $ctx := . -}}
{{- with .app.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .app.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .app.topologySpread }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "tessera.selectorLabels" $ctx | nindent 8 }}
  - maxSkew: 1
    topologyKey: topology.kubernetes.io/zone
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "tessera.selectorLabels" $ctx | nindent 8 }}
{{- end }}
{{- end -}}
