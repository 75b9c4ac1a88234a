#!/usr/bin/env python3
"""Writes a deterministic synthetic repository for the scale benchmark.

    scripts/gen-repo.py DEST FILES [SEED]

About 30% Dockerfiles, 36% Kubernetes manifests (Deployment + Service pairs,
some CronJobs and PodDisruptionBudgets), 8% GitHub workflows and 26% SQL
migrations, in service folders of a monorepo. Contents vary with the seed:
some are clean, some carry the usual findings (latest tags, root users,
missing probes and limits, unpinned actions, script injection, non-concurrent
indexes, destructive DDL), so the rules do real work. Same arguments, same
bytes. Standard library only.
"""
import os
import random
import sys

IMAGES = ["python:3.12-slim", "node:20-alpine", "golang:1.22", "debian:12", "ubuntu:latest", "nginx", "alpine:3.20"]
PKGS = ["curl", "ca-certificates", "git", "jq", "openssl", "libpq-dev", "build-essential", "tzdata"]
ACTIONS = ["actions/checkout@v4", "actions/setup-node@v4", "actions/cache@v4", "docker/build-push-action@v6",
           "actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11"]
TABLES = ["orders", "users", "payments", "invoices", "events", "sessions", "items", "shipments"]


def dockerfile(r, i):
    base = r.choice(IMAGES)
    lines = [f"# service {i}", f"FROM {base} AS build" if r.random() < 0.4 else f"FROM {base}"]
    if r.random() < 0.5:
        lines.append("ARG VERSION=1.0.0")
    pkgs = " ".join(r.sample(PKGS, r.randint(1, 4)))
    if r.random() < 0.5:
        lines.append(f"RUN apt-get update && apt-get install -y --no-install-recommends {pkgs} \\\n"
                     "    && rm -rf /var/lib/apt/lists/*")
    else:
        lines.append(f"RUN apt-get update\nRUN apt-get install -y {pkgs}")
    lines.append("WORKDIR /app" if r.random() < 0.8 else "WORKDIR app")
    lines.append("COPY . ." if r.random() < 0.5 else "COPY src/ /app/src/")
    for k in range(r.randint(1, 6)):
        lines.append(f"RUN echo step {k} && ./build.sh --target {k}" if r.random() < 0.7 else f"ADD https://example.com/f{k}.tgz /tmp/")
    if " AS build" in lines[1]:
        lines.append(f"FROM {r.choice(IMAGES)}\nCOPY --from=build /app /app")
    if r.random() < 0.6:
        lines.append("USER 10001")
    if r.random() < 0.3:
        lines.append("HEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1")
    lines.append('CMD ["./server"]' if r.random() < 0.7 else "CMD ./server --port 8080")
    return "\n".join(lines) + "\n"


def deployment(r, name, i):
    replicas = r.choice([1, 2, 3, 5])
    image = r.choice([f"registry.example.com/{name}:1.{i % 40}.0", f"{name}:latest", f"registry.example.com/{name}"])
    probes = ""
    if r.random() < 0.6:
        probes = ("          readinessProbe:\n            httpGet: {path: /ready, port: 8080}\n"
                  "          livenessProbe:\n            httpGet: {path: /health, port: 8080}\n")
    resources = ""
    if r.random() < 0.6:
        resources = ("          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n"
                     "            limits: {memory: 256Mi}\n")
    security = ""
    if r.random() < 0.5:
        security = ("          securityContext:\n            runAsNonRoot: true\n"
                    "            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n")
    elif r.random() < 0.2:
        security = "          securityContext:\n            privileged: true\n"
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: shop
  labels: {{app: {name}}}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
        - name: {name}
          image: {image}
          ports:
            - containerPort: 8080
          env:
            - name: DATABASE_URL
              valueFrom: {{secretKeyRef: {{name: {name}-db, key: url}}}}
{probes}{resources}{security}"""


def service(r, name):
    target = name if r.random() < 0.9 else name + "-old"
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: shop
spec:
  selector: {{app: {target}}}
  ports:
    - port: 80
      targetPort: 8080
"""


def extra_manifest(r, name):
    if r.random() < 0.5:
        return f"""apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {name}
  namespace: shop
spec:
  minAvailable: 1
  selector:
    matchLabels: {{app: {name}}}
"""
    return f"""apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}-backup
  namespace: shop
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: dump
              image: postgres:16
              command: ["sh", "-c", "pg_dump $DATABASE_URL | gzip > /backup/{name}.sql.gz"]
"""


def workflow(r, i):
    steps = [f"      - uses: {r.choice(ACTIONS)}"]
    if r.random() < 0.3:
        steps.append('      - run: echo "${{ github.event.pull_request.title }}"')
    steps.append(f"      - run: make test SHARD={i % 8}")
    if r.random() < 0.4:
        steps.append("      - run: ./deploy.sh production")
    perms = "permissions:\n  contents: read\n" if r.random() < 0.5 else ""
    trigger = r.choice(["push", "pull_request", "[push, pull_request]", "pull_request_target"])
    timeout = "    timeout-minutes: 20\n" if r.random() < 0.5 else ""
    return f"""name: ci-{i}
on: {trigger}
{perms}jobs:
  test:
    runs-on: ubuntu-latest
{timeout}    steps:
""" + "\n".join(steps) + "\n"


def migration(r, i):
    t = r.choice(TABLES)
    stmts = []
    for k in range(r.randint(1, 5)):
        c = r.random()
        if c < 0.25:
            stmts.append(f"CREATE TABLE {t}_{i}_{k} (\n  id bigserial PRIMARY KEY,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  note text\n);")
        elif c < 0.45:
            conc = "CONCURRENTLY " if r.random() < 0.5 else ""
            stmts.append(f"CREATE INDEX {conc}idx_{t}_{i}_{k} ON {t} (created_at);")
        elif c < 0.6:
            stmts.append(f"ALTER TABLE {t} ADD COLUMN c_{i}_{k} integer NOT NULL DEFAULT 0;")
        elif c < 0.7:
            stmts.append(f"ALTER TABLE {t} ALTER COLUMN note TYPE varchar(200);")
        elif c < 0.78:
            stmts.append(f"DROP TABLE IF EXISTS {t}_old_{k};")
        elif c < 0.85:
            stmts.append(f"UPDATE {t} SET note = 'x' WHERE id < {k * 1000};")
        else:
            stmts.append(f"INSERT INTO {t} (note) VALUES ('seed {i} {k}');")
    return f"-- migration {i}\n" + "\n\n".join(stmts) + "\n"


def main():
    dest, files = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 9
    r = random.Random(seed)
    written = 0
    n_services = max(1, files // 40)

    def write(rel, text):
        nonlocal written
        path = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        written += 1

    i = 0
    while written < files:
        svc = f"svc{i % n_services:04d}"
        kind = r.random()
        if kind < 0.30:
            write(f"services/{svc}/c{i}/Dockerfile", dockerfile(r, i))
        elif kind < 0.66:
            name = f"{svc}-c{i}"
            write(f"deploy/{svc}/{name}-deployment.yaml", deployment(r, name, i))
            if written < files:
                write(f"deploy/{svc}/{name}-service.yaml", service(r, name))
            if written < files and r.random() < 0.3:
                write(f"deploy/{svc}/{name}-extra.yaml", extra_manifest(r, name))
        elif kind < 0.74:
            write(f".github/workflows/ci-{i}.yml", workflow(r, i))
        else:
            write(f"services/{svc}/db/migrations/V{i}__change.sql", migration(r, i))
        i += 1


if __name__ == "__main__":
    main()
