# b24-local as one node of a cluster: PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) come from outside.
# Build: docker build -t b24-local .   Run several: compose.yaml.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 B24_DATA_DIR=/data
COPY package.json package-lock.json ./
# Production dependencies, plus tsx, which runs the TypeScript sources (bin/b24-local.mjs).
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm install --no-save --no-audit --no-fund "tsx@$(node -p "require('./package.json').devDependencies.tsx")" \
 && npm cache clean --force \
 && mkdir /data && chown node:node /data
COPY bin ./bin
COPY src ./src
COPY web ./web
USER node
EXPOSE 8080
# Liveness only; a load balancer should route by GET /readyz (store, Redis, migrations, not shutting down).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM stops it gracefully: /readyz fails, sockets close with 1001, in-flight work ends, leases are released.
STOPSIGNAL SIGTERM
CMD ["node", "bin/b24-local.mjs", "serve"]
