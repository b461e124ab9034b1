#!/usr/bin/env bash
# One-time set-up on a Debian/Ubuntu machine with Node >= 20.19: ffmpeg and the Noto fonts when
# missing, then npm ci. With --with-postgres (or CI set) also the PostgreSQL server, which the
# PostgreSQL tests need (scripts/pg-test-cluster.sh); the demo and SQLite never do.
set -euo pipefail
WITH_POSTGRES="${CI:+1}"
for arg in "$@"; do
  case "$arg" in
    --with-postgres) WITH_POSTGRES=1 ;;
    *) echo "setup: unknown option $arg (known: --with-postgres)" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  echo "setup: installing ffmpeg from the system packages" >&2
  if command -v apt-get >/dev/null; then
    apt_install ffmpeg
  elif command -v brew >/dev/null; then
    brew install ffmpeg
  else
    echo "setup: please install ffmpeg (with ffprobe) with your package manager" >&2
    exit 1
  fi
fi
# The text layer draws every script with Noto: fonts-noto-core (Latin, Cyrillic, Greek, Arabic,
# Hebrew, Devanagari, ...) and fonts-noto-cjk (Chinese, Japanese, Korean). Without them libass
# falls back to whatever is installed and CJK/Devanagari draw as empty boxes.
FONTS="$(fc-list : file 2>/dev/null || true)"
if [[ "$FONTS" != *NotoSansDevanagari* || "$FONTS" != *NotoSansCJK* || "$FONTS" != *NotoSansArabic* ]]; then
  if command -v apt-get >/dev/null; then
    echo "setup: installing the Noto fonts from the system packages" >&2
    apt_install fontconfig fonts-noto-core fonts-noto-cjk
  else
    echo "setup: please install the Noto fonts (Noto Sans, Arabic, Hebrew, Devanagari, CJK)" >&2
  fi
fi
if [ -n "$WITH_POSTGRES" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if command -v apt-get >/dev/null; then
    echo "setup: installing the PostgreSQL server from the system packages" >&2
    # Debian's package starts its own cluster on 5432; the tests use a throwaway one instead.
    apt_install postgresql
  else
    echo "setup: please install the PostgreSQL server (15 or newer) with your package manager" >&2
    exit 1
  fi
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("setup: adgen needs Node >= 20.19, this is "+process.version); process.exit(1) }'
npm ci --no-audit --no-fund
