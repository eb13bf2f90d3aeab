# mesh-help: build with the dev tools, run with production dependencies only.
#   docker build -t mesh-help:0.1.0 .
#   docker run --read-only -v mesh-help-data:/data -p 3000:3000 \
#     -e SLACK_BOT_TOKEN -e SLACK_SIGNING_SECRET mesh-help:0.1.0
# docs/deploy.md walks through the manifests under deploy/.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: dev dependencies, TypeScript → dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off: prepare (the build) needs the sources, copied next, and no dependency needs its install script.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies, the built output, the flows it reads ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    MESH_HELP_DATA_DIR=/data
WORKDIR /app
# The topology picture's PNG is drawn with DejaVu Sans from npm (dejavu-fonts-ttf): no system font is needed.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY flows ./flows
# The JSON store is the only thing the bot writes: a volume, so the root filesystem can be read-only.
RUN mkdir -p /data && chown 1000:1000 /data
VOLUME ["/data"]
# The node image's unprivileged "node" user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself, not npm: npm would write logs under $HOME (read-only here) and not pass SIGTERM on reliably.
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=128", "bin/mesh-help.js", "start"]
