# syntax=docker/dockerfile:1.7
#
# One image, four entry points (the Helm chart picks one per workload with `command`):
#   node dist/apps/tenant-api/src/main.js       onboarding and admin API (/v1), Workspace controller
#   node dist/apps/auth/src/main.js             OAuth authorization server
#   node dist/apps/mcp-gateway/src/main.js      per-workspace MCP endpoint
#   node dist/libs/persistence/src/cli/migrate.js   database migrations (`npm run migrate`), then exits
# Without a command it runs everything in one process on the embedded database (DATA_DIR=/tmp/data):
#   docker run --rm -p 8080:8080 --read-only --tmpfs /tmp tessera
#
# The runtime stage runs as UID/GID 10001, owns none of its files and writes only to /tmp, so it runs with
# readOnlyRootFilesystem and an emptyDir at /tmp. Debian (glibc) rather than Alpine: prebuilt native
# modules (argon2) ship for glibc first. Pin the base by digest in CI: --build-arg NODE_IMAGE=node:22-bookworm-slim@sha256:…

ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CI=true \
    npm_config_audit=false \
    npm_config_fund=false \
    npm_config_update_notifier=false
# Dependencies first, so source changes do not invalidate the npm layer.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts/build.js scripts/build-console.js scripts/
COPY bin bin
COPY libs libs
COPY apps apps
RUN node scripts/build.js
RUN npm prune --omit=dev --no-audit --no-fund
# Fail the build, not the pod, when compiled code needs a package that `npm prune --omit=dev` removed
# (a runtime dependency declared under devDependencies).
RUN node - <<'EOF'
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');
const builtins = new Set(builtinModules);
// Required inside try/catch on purpose: development conveniences the image may lack.
const optional = new Set(['pino-pretty']);
const missing = new Map();
const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2) : spec.split('/').slice(0, 1)).join('/');
function visit(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) visit(file);
    else if (file.endsWith('.js')) {
      const source = fs.readFileSync(file, 'utf8');
      for (const [, spec] of source.matchAll(/(?:\brequire\(|\bimport\()\s*["']([^"'./][^"']*)["']/g)) {
        if (spec.startsWith('node:') || builtins.has(spec) || builtins.has(packageOf(spec)) || optional.has(packageOf(spec))) continue;
        if (!fs.existsSync(path.join('node_modules', packageOf(spec), 'package.json'))) {
          missing.set(packageOf(spec), path.relative('.', file));
        }
      }
    }
  }
}
visit('dist');
if (missing.size) {
  for (const [name, file] of missing) console.error(`runtime dependency missing after npm prune --omit=dev: ${name} (required by ${file}); move it to "dependencies"`);
  process.exit(1);
}
console.log('every package the compiled code requires is installed');
EOF

FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="tessera" \
      org.opencontainers.image.description="Per-workspace remote MCP connectors for ChatGPT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="UNLICENSED"
# The apps are started with node directly: npm, npx, corepack and yarn are not needed at run time.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg \
 && groupadd --system --gid 10001 tessera \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin tessera
WORKDIR /app
# Owned by root and read-only to the app user: the process cannot change its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
ENV NODE_ENV=production \
    HOME=/tmp \
    PORT=8080 \
    METRICS_PORT=9464 \
    DATA_DIR=/tmp/data \
    TESSERA_VERSION=${VERSION}
USER 10001:10001
EXPOSE 8080 9464
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/standalone/src/main.js"]
