{{/*
Hook objects run before the release's own objects exist (install) or change (upgrade), in weight order:
-30 the secrets Job's account, role, script and NetworkPolicy, -20 that Job, -10 the migration's Secret and
NetworkPolicy, 0 the migration Job. Each is recreated on every run and removed once the hooks succeed.
*/}}
{{- define "tessera.hookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ . | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}

{{/* DNS egress (UDP and TCP on networkPolicy.dns.ports, to networkPolicy.dns.to or anywhere). */}}
{{- define "tessera.dnsEgress" -}}
- ports:
    {{- range .ports }}
    - { port: {{ . | int }}, protocol: UDP }
    - { port: {{ . | int }}, protocol: TCP }
    {{- end }}
  {{- with .to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/*
A hook Job's NetworkPolicy, created before the Job so that a namespace default-deny (or the chart's own, on
upgrade) cannot keep it from DNS and what it must reach. Call with (dict "root" $ "name" … "component" …
"weight" … "egress" <list of {ports, to}>).
*/}}
{{- define "tessera.hookNetworkPolicy" -}}
{{- $np := .root.Values.networkPolicy -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ .name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "tessera.labels" (dict "root" .root "component" .component) | nindent 4 }}
  annotations:
    {{- include "tessera.hookAnnotations" .weight | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "tessera.selectorLabels" (dict "root" .root "component" .component) | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress: []
  egress:
    {{- include "tessera.dnsEgress" $np.dns | nindent 4 }}
    {{- range .egress }}
    {{- include "tessera.egressRule" . | nindent 4 }}
    {{- end }}
    {{- with $np.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}
