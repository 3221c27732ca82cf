# domlife in a container, for the Kubernetes recipes (docs/recipes/).
# Not built by this repository's CI (its machines run no Docker engine).
FROM rust:1-slim AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/domlife /usr/local/bin/domlife
ENV DOMLIFE_CACHE_DIR=/var/cache/domlife
RUN mkdir -p /var/cache/domlife
ENTRYPOINT ["domlife"]
