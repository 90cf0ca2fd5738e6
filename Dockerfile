# Build: the release binary, with templates and migrations compiled in.
FROM rust:1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
# dev-support/ is a member of the workspace, and the default feature `dev` compiles its
# sources into the binary (the `demo` and `bench-seed` commands).
COPY dev-support dev-support
COPY migrations migrations
COPY templates templates
COPY static static
RUN cargo build --release --locked

# Run: a small image with libpq and curl (for the health check), as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates curl fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/lamtheobac /usr/local/bin/lamtheobac
RUN mkdir -p /var/lib/lamtheobac/uploads && chown nobody /var/lib/lamtheobac/uploads
USER nobody
ENV BIND=0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["lamtheobac"]
CMD ["serve"]
