#!/usr/bin/env bash
set -euo pipefail
cd /srv/forum
docker compose exec -T mariadb sh -c 'mariadb-dump --single-transaction -u forum -p"$(cat /run/secrets/forum_db)" forum' \
  | restic backup --stdin --stdin-filename forum.sql --tag forum
restic forget --tag forum --keep-daily 7 --keep-weekly 4 --prune
