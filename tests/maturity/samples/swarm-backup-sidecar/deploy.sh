#!/bin/sh
# Run on a swarm manager.
set -eu
docker stack deploy --with-registry-auth -c stack.yml crm
