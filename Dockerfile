# b24-local as one node of a cluster: PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) come from outside.
# Build: docker build -t b24-local .   Run several: compose.yaml.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 B24_DATA_DIR=/data
COPY package.json package-lock.json ./
# Runtime dependencies only; `prepare` (the build) already ran in the first stage.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && mkdir /data && chown node:node /data
COPY --from=build /src/dist ./dist
COPY bin ./bin
USER node
EXPOSE 8080
# Liveness only; a load balancer should route by GET /readyz (store, Redis, migrations, not shutting down).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM stops it gracefully: /readyz fails, sockets close with 1001, in-flight work ends, leases are released.
STOPSIGNAL SIGTERM
CMD ["node", "bin/b24-local.mjs", "serve"]
