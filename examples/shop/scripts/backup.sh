#!/bin/bash
# Nightly backup of the shop database, run from cron on db-admin-01:
#   15 2 * * * /opt/shop/scripts/backup.sh >> /var/log/shop-backup.log 2>&1

BACKUP_DIR=/var/backups/shop
STAMP=$(date +%Y%m%d-%H%M)

mkdir -p $BACKUP_DIR
pg_dump -h $PGHOST -U shop shop | gzip > $BACKUP_DIR/shop-$STAMP.sql.gz

# keep a week of backups
find $BACKUP_DIR -name 'shop-*.sql.gz' -mtime +7 -delete

echo "$(date -Is) backup written to $BACKUP_DIR/shop-$STAMP.sql.gz"
