#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine: `docker-compose config` parses it, applies
# the Compose schema and resolves anchors, secrets and dependencies. For CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v docker-compose >/dev/null 2>&1; then
  echo "docker-compose is not installed (Debian: apt-get install docker-compose)" >&2
  exit 1
fi
docker-compose -f docker-compose.yml config -q
echo "docker-compose.yml is valid"
