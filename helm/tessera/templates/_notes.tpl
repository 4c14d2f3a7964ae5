{{/* The text of NOTES.txt, as a named template so tests can render it without a cluster. */}}
{{- define "tessera.notes" -}}
{{- $url := include "tessera.publicUrl" . -}}
{{- $fullname := include "tessera.fullname" . -}}
Tessera {{ .Chart.AppVersion }} is installed as "{{ .Release.Name }}" in namespace {{ .Release.Namespace }}.

Every workspace has one MCP connector URL:

    {{ $url }}/mcp/<tenant>/<workspace>

Add it in ChatGPT (Settings → Connectors → Create, authentication "OAuth"), or pass it as server_url to the
OpenAI Responses API with a workspace access token.
{{- if not .Values.tls.enabled }}

WARNING: tls.enabled is false. ChatGPT only connects to https URLs; terminate TLS in front of {{ $url }}.
{{- end }}

Next steps

1. The platform admin token:
{{- if .Values.secrets.existingSecret }}
     export TESSERA_TOKEN=$(kubectl -n {{ .Release.Namespace }} get secret {{ .Values.secrets.existingSecret }} -o jsonpath='{.data.TESSERA_ADMIN_TOKEN}' | base64 -d)
{{- else }}
     export TESSERA_TOKEN=$(kubectl -n {{ .Release.Namespace }} get secret {{ ternary (include "tessera.secretName" .) (include "tessera.generatedSecretName" .) (ne .Values.secrets.adminToken "") }} -o jsonpath='{.data.TESSERA_ADMIN_TOKEN}' | base64 -d)
{{- end }}
     export TESSERA_API_URL={{ $url }}

2. Create a tenant (its API key is printed once) and a workspace:
     curl -sS -X POST "$TESSERA_API_URL/v1/tenants" -H "Authorization: Bearer $TESSERA_TOKEN" \
          -H 'Content-Type: application/json' -d '{"slug":"acme","name":"Acme"}'
     curl -sS -X POST "$TESSERA_API_URL/v1/tenants/acme/workspaces" -H "Authorization: Bearer $TESSERA_TOKEN" \
          -H 'Content-Type: application/json' -d '{"slug":"kb","name":"Knowledge base"}'
   or with the CLI: npx tessera tenants create --slug acme --name "Acme"
                    npx tessera workspaces create --tenant acme --slug kb --name "Knowledge base"
{{- if .Values.workspaceController.enabled }}
   or declare the workspace as a Kubernetes object (the Workspace controller creates it; the tenant must exist):
     kubectl -n {{ default .Release.Namespace .Values.workspaceController.watchNamespace }} apply -f - <<'YAML'
     apiVersion: tessera.dev/v1alpha1
     kind: Workspace
     metadata: { name: acme-kb }
     spec: { tenant: acme, slug: kb, name: Knowledge base }
     YAML
     kubectl -n {{ default .Release.Namespace .Values.workspaceController.watchNamespace }} get workspaces -o wide
{{- end }}

3. Load documents:  npx tessera ingest ./docs --tenant acme --workspace kb
4. Connect:         {{ $url }}/mcp/acme/kb
5. API reference:   {{ $url }}/docs
{{- if .Values.dedicatedTenants }}

Dedicated gateways:
{{- range .Values.dedicatedTenants }}
  {{ $fullname }}-gateway-{{ .name }} (namespace {{ default $.Release.Namespace .namespace }}) serves {{ range $i, $t := .tenants }}{{ if $i }}, {{ end }}{{ $url }}/mcp/{{ $t }}/…{{ end }}
{{- end }}
{{- range .Values.dedicatedTenants }}
{{- if and .existingSecret (include "tessera.tenantIsolated" (dict "root" $ "tenant" .)) }}
  Create the Secret {{ .existingSecret }} in {{ .namespace }} (TESSERA_QUERY_HASH_KEY, DATABASE_URL{{ if include "tessera.redisConfigured" $ }}, REDIS_URL{{ end }}{{ if include "tessera.opensearchCredentials" $ }}, OPENSEARCH_USERNAME, OPENSEARCH_PASSWORD{{ end }}).
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.metrics.enabled (not .Values.metrics.serviceMonitor.enabled) }}

Metrics are served on port {{ .Values.metrics.port }} (/metrics); set metrics.serviceMonitor.enabled=true to scrape
them with the Prometheus Operator and install Tessera's alerts.
{{- end }}

{{- end -}}
