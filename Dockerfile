# The pom-governance GitHub App as a container (docs/deploy.md). Two stages: the first compiles the
# TypeScript with the development dependencies; the second holds only the production dependencies
# and the compiled code, and runs as the unprivileged user `node`. No credential is baked in:
# APP_ID, PRIVATE_KEY, WEBHOOK_SECRET and the rest come from the environment at `docker run`.
# Both stages use the same base image, pinned to a Node.js release (a test checks that they agree).

FROM node:24.21.0-trixie-slim AS build
WORKDIR /app
# Dependencies first, so that a change of source only rebuilds from the COPY below. No scripts:
# `prepare` would compile before the sources are here, and nothing else needs one to build.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY schemas ./schemas
COPY core ./core
COPY policies ./policies
COPY github ./github
COPY app ./app
COPY action ./action
COPY cli ./cli
RUN npm run build

FROM node:24.21.0-trixie-slim AS runtime
# NODE_OPTIONS: the bounded heap `npm start` sets too, under which the app's memory plateaus
# (docs/performance.md); `docker run -e NODE_OPTIONS=--max-old-space-size=N` replaces it.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=128 \
    PORT=3000 \
    LOG_FORMAT=json \
    POM_DATA_DIR=/data
WORKDIR /app
# The versions of the lock file, without the development ones; no scripts (the root's `prepare`
# compiles, which the build stage did; msgpackr-extract's native speed-up is optional).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force \
    && mkdir -p /data \
    && chown node:node /data
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY schemas ./schemas
COPY app.yml ./
# The organization reports of the sweeps (without REDIS_URL): keep them across restarts.
VOLUME ["/data"]
EXPOSE 3000
USER node
# GET /healthz (app/health.ts) on the port the app listens on; no curl in the slim image, so node asks.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/app/server.js"]
