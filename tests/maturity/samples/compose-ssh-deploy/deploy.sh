#!/usr/bin/env bash
# Deploy the current tag to the production host.
set -euo pipefail

HOST="${DEPLOY_HOST:-shop-prod-1.internal}"
TAG="${1:?usage: ./deploy.sh TAG}"

scp docker-compose.yml "deploy@${HOST}:/srv/shop/docker-compose.yml"
ssh "deploy@${HOST}" "cd /srv/shop && TAG=${TAG} docker compose pull && TAG=${TAG} docker compose up -d --remove-orphans"
