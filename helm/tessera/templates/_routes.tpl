{{/*
Which paths go to which Service. Longer prefixes win in both Ingress and Gateway API, so a dedicated
gateway's /mcp/<tenant> takes that tenant away from the shared gateway's /mcp.
Returns a JSON list of {path, service, namespace}.
*/}}
{{- define "tessera.routes" -}}
{{- $fullname := include "tessera.fullname" . -}}
{{- $ns := .Release.Namespace -}}
{{- $routes := list
  (dict "path" "/mcp" "service" (printf "%s-mcp-gateway" $fullname) "namespace" $ns)
  (dict "path" "/.well-known/oauth-protected-resource" "service" (printf "%s-mcp-gateway" $fullname) "namespace" $ns)
  (dict "path" "/oauth" "service" (printf "%s-auth" $fullname) "namespace" $ns)
  (dict "path" "/.well-known/oauth-authorization-server" "service" (printf "%s-auth" $fullname) "namespace" $ns)
  (dict "path" "/.well-known/openid-configuration" "service" (printf "%s-auth" $fullname) "namespace" $ns)
  (dict "path" "/v1" "service" (printf "%s-tenant-api" $fullname) "namespace" $ns)
  (dict "path" "/scim" "service" (printf "%s-tenant-api" $fullname) "namespace" $ns)
  (dict "path" "/docs" "service" (printf "%s-tenant-api" $fullname) "namespace" $ns) -}}
{{- range .Values.dedicatedTenants -}}
{{- $service := printf "%s-gateway-%s" $fullname .name -}}
{{- $namespace := default $ns .namespace -}}
{{- range .tenants -}}
{{- $routes = append $routes (dict "path" (printf "/mcp/%s" .) "service" $service "namespace" $namespace) -}}
{{- $routes = append $routes (dict "path" (printf "/.well-known/oauth-protected-resource/mcp/%s" .) "service" $service "namespace" $namespace) -}}
{{- end -}}
{{- end -}}
{{- toJson $routes -}}
{{- end -}}
