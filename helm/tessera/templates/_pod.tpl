{{/* Pod-level helpers: security contexts, environment, volumes, scheduling, labels. */}}

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
