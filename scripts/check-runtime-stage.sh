#!/usr/bin/env bash
# The Dockerfile's runtime stage without a Docker engine: production dependencies only
# (npm ci --omit=dev), the build output and config/flows in a scratch folder, started with
# NODE_ENV=production; passes when /health/ready answers 200 and / serves the console, and the
# process stops cleanly on SIGTERM. Catches a runtime import of a dev dependency, a file the image
# forgets to copy, or a start that needs the source tree. Needs `npm run build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
[ -f dist/apps/hub/src/main.js ] && [ -f apps/console/dist/index.html ] || { echo "run npm run build first"; exit 2; }
stage=$(mktemp -d /tmp/optline-runtime-XXXXXX)
db="optline_runtime_$$"
cleanup() {
  [ -n "${hub:-}" ] && kill "$hub" 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  rm -rf "$stage"
}
trap cleanup EXIT

mkdir -p "$stage/apps/console" "$stage/config"
cp package.json package-lock.json "$stage/"
cp apps/console/package.json "$stage/apps/console/"
(cd "$stage" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
cp -r dist "$stage/dist"
cp -r apps/console/dist "$stage/apps/console/dist"
cp -r config/flows "$stage/config/flows"
echo "runtime stage: $(du -sh "$stage/node_modules" | cut -f1) of production dependencies"

psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" >/dev/null
port=$(node -e "const s=require('net').createServer().listen(0,()=>{console.log(s.address().port);s.close()})")
(cd "$stage" && NODE_ENV=production PORT=$port DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" REDIS_URL=redis://127.0.0.1:6379 \
  QUEUE_PREFIX="optline-runtime-$$" OPTLINE_ENCRYPTION_KEY="$(node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")" \
  PUBLIC_URL="http://127.0.0.1:$port" exec node --max-old-space-size=384 dist/apps/hub/src/main.js) >"$stage/hub.log" 2>&1 &
hub=$!
for _ in $(seq 1 90); do
  if curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then break; fi
  kill -0 "$hub" 2>/dev/null || { echo "the hub exited:"; tail -20 "$stage/hub.log"; exit 1; }
  sleep 1
done
curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "not ready after 90 s:"; tail -20 "$stage/hub.log"; exit 1; }
curl -fs "http://127.0.0.1:$port/" | grep -q '<div id="root">' || { echo "the console is not served at /"; exit 1; }
kill -TERM "$hub"
for _ in $(seq 1 30); do kill -0 "$hub" 2>/dev/null || break; sleep 1; done
if kill -0 "$hub" 2>/dev/null; then echo "the hub did not stop within 30 s of SIGTERM"; exit 1; fi
hub=""
echo "runtime stage ok: ready, console served, stopped on SIGTERM"
