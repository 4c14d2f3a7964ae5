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
  entrypoint  the script the container runs
*/}}

{{- define "tessera.workload" -}}
{{- $root := .root -}}
{{- $app := .app -}}
{{- $labelCtx := dict "root" $root "component" .component "dedicated" .dedicated -}}
{{- $controller := and (eq .component "tenant-api") $root.Values.workspaceController.enabled -}}
{{- $autoscaling := $app.autoscaling | default dict -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
  namespace: {{ .namespace }}
  labels:
    {{- include "tessera.labels" $labelCtx | nindent 4 }}
spec:
  {{- if not $autoscaling.enabled }}
  replicas: {{ $app.replicas | default 1 }}
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
      annotations:
        checksum/config: {{ include "tessera.configMap.data" $root | sha256sum }}
        {{- with $app.podAnnotations }}
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
            - { name: metrics, containerPort: {{ $root.Values.metrics.port }}, protocol: TCP }
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "tessera.configMapName" $root }}
          env:
            {{- include "tessera.secretEnv" $root | nindent 12 }}
            {{- if eq .role "mcp-gateway" }}
            - name: AUTH_JWKS_URL
              value: {{ include "tessera.authJwksUrl" $root | quote }}
            {{- end }}
            {{- if $controller }}
            {{- include "tessera.controllerEnv" $root | nindent 12 }}
            {{- end }}
            {{- with include "tessera.extraEnv" $root }}{{ . | trim | nindent 12 }}{{ end }}
          securityContext:
            {{- include "tessera.containerSecurityContext" $root | nindent 12 }}
          resources:
            {{- toYaml $app.resources | nindent 12 }}
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
            {{- with include "tessera.opensearchVolumeMounts" $root }}{{ . | trim | nindent 12 }}{{ end }}
      volumes:
        {{- include "tessera.tmpVolume" $root | nindent 8 }}
        {{- with include "tessera.opensearchVolumes" $root }}{{ . | trim | nindent 8 }}{{ end }}
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
    - { name: metrics, port: {{ $root.Values.metrics.port }}, targetPort: metrics, protocol: TCP }
    {{- end }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .name }}
  namespace: {{ .namespace }}
  labels:
    {{- include "tessera.labels" $labelCtx | nindent 4 }}
spec:
  maxUnavailable: {{ ($app.pdb | default dict).maxUnavailable | default 1 }}
  selector:
    matchLabels:
      {{- include "tessera.selectorLabels" $labelCtx | nindent 6 }}
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
  minReplicas: {{ $autoscaling.minReplicas | default 2 }}
  maxReplicas: {{ $autoscaling.maxReplicas | default 6 }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $autoscaling.targetCPUUtilizationPercentage | default 75 }}
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
  value: {{ .Values.workspaceController.leaseDurationSeconds | quote }}
- name: WORKSPACE_CONTROLLER_RESYNC_SECONDS
  value: {{ .Values.workspaceController.resyncSeconds | quote }}
- name: WORKSPACE_CONTROLLER_LEASE_NAMESPACE
  valueFrom:
    fieldRef: { fieldPath: metadata.namespace }
- name: WORKSPACE_CONTROLLER_IDENTITY
  valueFrom:
    fieldRef: { fieldPath: metadata.name }
{{- end -}}
