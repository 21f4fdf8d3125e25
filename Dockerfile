# Builds the release binary and runs it on a slim Debian with libpq and libcurl.
FROM swift:6.0-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev libcurl4-openssl-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Benchmarks ./Benchmarks
COPY Tests ./Tests
RUN swift build -c release --product kraamzorg-server --static-swift-stdlib \
 && mkdir /out && cp .build/release/kraamzorg-server /out/

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 libcurl4 ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* && useradd --system --uid 10001 kraamzorg
WORKDIR /app
# The webhook secret key file is made here at first start unless WEBHOOK_SECRET_KEY is set (mount a volume to keep it).
RUN mkdir -m 0700 /app/.data && chown kraamzorg /app/.data
COPY --from=build /out/ ./
COPY openapi.yaml ./
USER kraamzorg
ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
# Liveness without curl in the image: /healthz over bash's /dev/tcp.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${PORT:-8080} && printf "GET /healthz HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
CMD ["./kraamzorg-server"]
