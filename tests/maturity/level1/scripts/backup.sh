#!/usr/bin/env bash
# Run by hand before risky changes: dumps the orders database and copies it off the cluster.
set -euo pipefail
out="orders-$(date +%Y%m%d%H%M).dump"
kubectl -n orders exec statefulset/postgres -- pg_dump -Fc -U orders orders > "$out"
aws s3 cp "$out" "s3://example-orders-backups/manual/$out"
