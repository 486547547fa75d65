# Build: a release binary with the migrations embedded.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src src
COPY migrations migrations
# The font the progress and leaderboard cards are drawn with is embedded at build time.
COPY assets assets
RUN cargo build --release --locked --bin studybot

# Run: small Debian image, non-root user, database on the /data volume, content baked in.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin studybot \
    && mkdir -p /data && chown studybot:studybot /data
COPY --from=build /src/target/release/studybot /usr/local/bin/studybot
COPY content /app/content
WORKDIR /app
ENV DATABASE_URL=sqlite:///data/studybot.db \
    EXPORT_DIR=/data \
    CONTENT_DIR=/app/content \
    HTTP_ADDR=0.0.0.0:8080 \
    RUST_LOG=info
VOLUME ["/data"]
# The admin server: /healthz, /livez, /metrics. Publish it only to the monitoring network.
EXPOSE 8080
# Built into the binary, so the image needs no curl. The console adapter has no admin server.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["studybot", "healthcheck"]
USER studybot
ENTRYPOINT ["studybot"]
