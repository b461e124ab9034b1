# Production image: the bot, Debian's ffmpeg, SQLite and media on a volume.
# Build stage has compilers so better-sqlite3 can build if no prebuilt binary matches.
FROM node:22-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
# Noto core + CJK: the text layer draws Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, CJK.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg fontconfig fonts-dejavu-core fonts-noto-core \
      fonts-noto-cjk tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY migrations ./migrations
RUN useradd --system --uid 10001 --home-dir /data adgen \
 && mkdir -p /data && chown adgen /data
# ADGEN_OPS_PORT: /healthz, /readyz, /metrics (src/ops). On in the image so HEALTHCHECK has
# something to ask; the CLI commands never start it.
ENV NODE_ENV=production \
    ADGEN_DATA_DIR=/data \
    ADGEN_OPS_PORT=9090
VOLUME ["/data"]
USER adgen
# 3000: Slack HTTP mode (SLACK_MODE=http, SLACK_PORT); 9090: the ops server.
EXPOSE 3000 9090
# Liveness only (is the process answering?): readiness (/readyz) is for load balancers and
# compose's depends_on, not for restarting a process whose database is briefly away.
# node, not curl: the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.ADGEN_OPS_PORT||9090)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/adgen.mjs"]
CMD ["bot"]
