#!/usr/bin/env bash
# Render the compose file for an environment and start it there.
set -euo pipefail
ENV="${1:?usage: render.sh ENV}"
j2 deploy/docker-compose.yml.j2 "deploy/env/${ENV}.yml" > /tmp/docker-compose.yml
scp /tmp/docker-compose.yml "deploy@${ENV}.acme.dev:/srv/app/docker-compose.yml"
ssh "deploy@${ENV}.acme.dev" 'cd /srv/app && docker compose up -d'
