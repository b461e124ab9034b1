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
ENV NODE_ENV=production \
    ADGEN_DATA_DIR=/data
VOLUME ["/data"]
USER adgen
ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/adgen.mjs"]
CMD ["bot"]
