# Production image of the Optline hub (API, workers and the built console in one image; choose
# with HUB_ROLE). Build: docker build -t optline-hub .   Run: see docker-compose.yml.

# --- build: every dependency, compile the hub (tsc) and the console (vite) -------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first: the npm ci layer is reused until a dependency changes.
COPY package.json package-lock.json ./
COPY apps/console/package.json apps/console/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- runtime: production dependencies and the build output only ------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HUB_HEAP_MB=384
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/console/package.json apps/console/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/apps/console/dist ./apps/console/dist
# Built-in flow templates are read at boot from config/flows.
COPY --from=build /app/config/flows ./config/flows
# The image's files stay root's; the hub runs as the unprivileged `node` user and only needs
# to write .optline/ (the development encryption key, never used with NODE_ENV=production).
RUN mkdir -p /app/.optline && chown node:node /app/.optline
USER node
EXPOSE 3000
# Ready = Postgres and Redis answer (GET /health/ready). A worker-only process (HUB_ROLE=worker)
# serves no API: with METRICS_PORT set it is checked at /health/live there; without, there is
# nothing to ask and the check passes (docs/operations.md).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const w = process.env.HUB_ROLE === 'worker'; const port = w ? process.env.METRICS_PORT : process.env.PORT || 3000; if (!port) process.exit(0); fetch('http://127.0.0.1:' + port + (w ? '/health/live' : '/health/ready')).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec replaces sh: node is PID 1 and receives SIGTERM itself (graceful shutdown).
CMD ["sh", "-c", "exec node --max-old-space-size=${HUB_HEAP_MB} dist/apps/hub/src/main.js"]
