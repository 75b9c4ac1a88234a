#!/usr/bin/env bash
# Nightly by hand (or from the host's cron): dump the shop database and copy it off the host.
set -euo pipefail

STAMP="$(date +%F)"
mkdir -p backups
docker compose exec -T db pg_dump -U shop shop | gzip > "backups/shop-${STAMP}.sql.gz"
aws s3 cp "backups/shop-${STAMP}.sql.gz" "s3://acme-shop-backups/db/shop-${STAMP}.sql.gz"
