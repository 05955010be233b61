#!/usr/bin/env bash
# Makes the database password docker-compose.yml hands to MySQL and to Conveyor, once. The file is
# ignored by git. It is world-readable on purpose: Compose bind-mounts file secrets with the host's
# owner and mode, and MySQL (uid 999) and Conveyor (uid 10001) must both read it.
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/secrets"
mkdir -p "$dir"
if [ -s "$dir/db_password" ]; then
  echo "$dir/db_password exists; keeping it"
  exit 0
fi
(umask 022 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$dir/db_password")
echo "wrote $dir/db_password"
