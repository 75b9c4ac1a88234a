# opslint as a container image:
#   docker build -t opslint .
#   docker run --rm -v "$PWD:/src" opslint check .
# The builder has the wasm toolchain (rustup's wasm32 standard library) for the
# built-in plugins; the final image adds the binary alone to a slim Debian (the
# same as the builder's, for glibc; with a shell, which GitLab CI's `script:`
# needs), runs as a non-root user and checks the repository mounted at /src.
# Commands that write into the repository (--maturity, baseline) need your own
# user: docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/src" opslint --maturity
# It has git (without recommends: no ssh client) for `opslint audit`, which
# clones https and file:// URLs, and for `check --changed-since`.
# Pin both images by digest (@sha256:...) where you build releases.
FROM rust:1.95-slim-trixie AS builder
RUN rustup target add wasm32-unknown-unknown
WORKDIR /build
COPY . .
RUN cargo build --locked --profile dist -p opslint

FROM debian:trixie-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 opslint
COPY --from=builder /build/target/dist/opslint /usr/local/bin/opslint
USER 10001:10001
WORKDIR /src
ENTRYPOINT ["opslint"]
CMD ["check", "."]
