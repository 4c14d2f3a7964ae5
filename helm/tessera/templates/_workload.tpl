{{/*
One app workload: Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget.
Called with a dict:
  root        the chart context ($)
  component   tenant-api | auth | mcp-gateway | dedicated-gateway
  role        the app it runs (tenant-api | auth | mcp-gateway), a label NetworkPolicies select by
  app         its values (replicas, resources, autoscaling, pdb, …)
  name        resource name
  namespace   where it runs
  dedicated   the dedicated gateway's name, or ""
  tenant      the dedicated tenant's values, or nil
  entrypoint  the script the container runs
*/}}

{{- define "tessera.workload" -}}
{{- $root := .root -}}
{{- $app := .app -}}
{{- $labelCtx := dict "root" $root "component" .component "dedicated" .dedicated -}}
{{- $controller := and (eq .component "tenant-api") $root.Values.workspaceController.enabled -}}
{{- $autoscaling := $app.autoscaling | default dict -}}
{{- $pdb := $app.pdb | default dict -}}
{{- $secretCtx := dict "root" $root "role" .role "tenant" .tenant -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
  namespace: {{ .namespace }}
  labels:
    {{- include "tessera.labels" $labelCtx | nindent 4 }}
spec:
  {{- if not $autoscaling.enabled }}
  replicas: {{ $app.replicas | default 1 | int }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 25%, maxUnavailable: 0 }
  selector:
    matchLabels:
      {{- include "tessera.selectorLabels" $labelCtx | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "tessera.labels" $labelCtx | nindent 8 }}
        tessera.dev/role: {{ .role }}
        {{- with include "tessera.podLabels" $root }}{{ . | nindent 8 }}{{ end }}
      annotations:
        checksum/config: {{ include "tessera.configMap.data" $root | sha256sum }}
        checksum/secret: {{ include "tessera.secretChecksum" $secretCtx }}
        {{- with merge (deepCopy ($app.podAnnotations | default dict)) $root.Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- if $controller }}
      serviceAccountName: {{ include "tessera.controllerServiceAccountName" $root }}
      automountServiceAccountToken: true
      {{- else }}
      serviceAccountName: {{ include "tessera.serviceAccountName" $root }}
      automountServiceAccountToken: false
      {{- end }}
      enableServiceLinks: false
      terminationGracePeriodSeconds: 30
      securityContext:
        {{- include "tessera.podSecurityContext" $root | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with include "tessera.podScheduling" (dict "root" $root "component" .component "dedicated" .dedicated "app" $app) }}{{ . | trim | nindent 6 }}{{ end }}
      containers:
        - name: {{ .role }}
          image: {{ include "tessera.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: ["node", {{ .entrypoint | quote }}]
          ports:
            - { name: http, containerPort: 8080, protocol: TCP }
            {{- if $root.Values.metrics.enabled }}
            - { name: metrics, containerPort: {{ $root.Values.metrics.port | int }}, protocol: TCP }
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "tessera.configMapName" $root }}
          env:
            {{- include "tessera.secretEnv" $secretCtx | trim | nindent 12 }}
            {{- if eq .role "mcp-gateway" }}
            - name: AUTH_JWKS_URL
              value: {{ include "tessera.authJwksUrl" $root | quote }}
            {{- end }}
            {{- if eq .role "tenant-api" }}
            # The console's sign-in: code exchange and revocation in-cluster (the browser still uses the public issuer).
            - name: CONSOLE_AUTH_URL
              value: {{ include "tessera.consoleAuthUrl" $root | quote }}
            {{- end }}
            {{- if $controller }}
            {{- include "tessera.controllerEnv" $root | nindent 12 }}
            {{- end }}
            {{- with include "tessera.extraEnv" $root }}{{ . | trim | nindent 12 }}{{ end }}
          securityContext:
            {{- include "tessera.containerSecurityContext" $root | nindent 12 }}
          resources:
            {{- include "tessera.resources" (dict "root" $root "role" .role "app" $app) | nindent 12 }}
          startupProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 2
            timeoutSeconds: 2
            failureThreshold: 60
          livenessProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: { path: /readyz, port: http }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          lifecycle:
            # Let endpoints and the ingress stop sending traffic before the app closes its server.
            preStop:
              exec: { command: ["sleep", "5"] }
          volumeMounts:
            - { name: tmp, mountPath: /tmp }
            {{- if ne .role "auth" }}
            {{- with include "tessera.opensearchVolumeMounts" $root }}{{ . | trim | nindent 12 }}{{ end }}
            {{- end }}
            {{- with include "tessera.extraVolumeMounts" $root }}{{ . | nindent 12 }}{{ end }}
      volumes:
        {{- include "tessera.tmpVolume" $root | nindent 8 }}
        {{- if ne .role "auth" }}
        {{- with include "tessera.opensearchVolumes" $root }}{{ . | trim | nindent 8 }}{{ end }}
        {{- end }}
        {{- with include "tessera.extraVolumes" $root }}{{ . | nindent 8 }}{{ end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .name }}
  namespace: {{ .namespace }}
  labels:
    {{- include "tessera.labels" $labelCtx | nindent 4 }}
    {{- if $root.Values.metrics.enabled }}
    tessera.dev/metrics: "true"
    {{- end }}
spec:
  type: ClusterIP
  selector:
    {{- include "tessera.selectorLabels" $labelCtx | nindent 4 }}
  ports:
    - { name: http, port: 80, targetPort: http, protocol: TCP }
    {{- if $root.Values.metrics.enabled }}
    - { name: metrics, port: {{ $root.Values.metrics.port | int }}, targetPort: metrics, protocol: TCP }
    {{- end }}
{{- if or (not (hasKey $pdb "enabled")) $pdb.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .name }}
  namespace: {{ .namespace }}
  labels:
    {{- include "tessera.labels" $labelCtx | nindent 4 }}
spec:
  {{- $max := $pdb.maxUnavailable | default 1 }}
  maxUnavailable: {{ if kindIs "string" $max }}{{ $max | quote }}{{ else }}{{ $max | int }}{{ end }}
  selector:
    matchLabels:
      {{- include "tessera.selectorLabels" $labelCtx | nindent 6 }}
{{- end }}
{{- if $autoscaling.enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .name }}
  namespace: {{ .namespace }}
  labels:
    {{- include "tessera.labels" $labelCtx | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ .name }}
  minReplicas: {{ $autoscaling.minReplicas | default 2 | int }}
  maxReplicas: {{ $autoscaling.maxReplicas | default 6 | int }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $autoscaling.targetCPUUtilizationPercentage | default 70 | int }}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
{{- end }}
{{- end -}}

{{- define "tessera.controllerEnv" -}}
- name: WORKSPACE_CONTROLLER_ENABLED
  value: "true"
- name: WORKSPACE_CONTROLLER_NAMESPACE
  value: {{ default .Release.Namespace .Values.workspaceController.watchNamespace | quote }}
- name: WORKSPACE_CONTROLLER_ALL_NAMESPACES
  value: {{ .Values.workspaceController.clusterWide | quote }}
- name: WORKSPACE_CONTROLLER_LEASE_NAME
  value: {{ .Values.workspaceController.leaseName | quote }}
- name: WORKSPACE_CONTROLLER_LEASE_DURATION_SECONDS
  value: {{ .Values.workspaceController.leaseDurationSeconds | int | quote }}
- name: WORKSPACE_CONTROLLER_RESYNC_SECONDS
  value: {{ .Values.workspaceController.resyncSeconds | int | quote }}
- name: WORKSPACE_CONTROLLER_LEASE_NAMESPACE
  valueFrom:
    fieldRef: { fieldPath: metadata.namespace }
- name: WORKSPACE_CONTROLLER_IDENTITY
  valueFrom:
    fieldRef: { fieldPath: metadata.name }
{{- end -}}


{{/*
Container resources. A gateway whose memory is not given is sized from its caches: request = memoryBaseMb +
searchCacheMb + documentCacheMb, limit = request + 256Mi. Nothing adds a CPU limit.
*/}}
{{- define "tessera.resources" -}}
{{- $resources := deepCopy (.app.resources | default dict) -}}
{{- if eq .role "mcp-gateway" -}}
{{- $v := .root.Values -}}
{{- $request := add (.app.memoryBaseMb | default $v.gateway.memoryBaseMb | default 256) $v.config.searchCacheMb $v.config.documentCacheMb | int -}}
{{- $requests := $resources.requests | default dict -}}
{{- $limits := $resources.limits | default dict -}}
{{- if not $requests.memory }}{{ $_ := set $requests "memory" (printf "%dMi" $request) }}{{ end -}}
{{- if not $limits.memory }}{{ $_ := set $limits "memory" (printf "%dMi" (add $request 256)) }}{{ end -}}
{{- $_ := set $resources "requests" $requests -}}
{{- $_ := set $resources "limits" $limits -}}
{{- end -}}
{{- toYaml $resources -}}
{{- end -}}
