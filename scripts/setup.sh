#!/usr/bin/env bash
# One-time set-up on a Debian/Ubuntu machine with Node >= 20.19: ffmpeg when missing, then npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  echo "setup: installing ffmpeg from the system packages" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  if command -v apt-get >/dev/null; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq ffmpeg >/dev/null
  elif command -v brew >/dev/null; then
    brew install ffmpeg
  else
    echo "setup: please install ffmpeg (with ffprobe) with your package manager" >&2
    exit 1
  fi
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("setup: adgen needs Node >= 20.19, this is "+process.version); process.exit(1) }'
npm ci --no-audit --no-fund
