# filings-server and the filings CLI in a slim Debian image: built with a Swift toolchain, run as a non-root user.
FROM swift:6.2-bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libprotobuf-c-dev libsqlite3-dev libdeflate-dev libarchive-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources Sources
COPY Clients Clients
COPY Tests Tests
COPY dev/fuzz/Checks dev/fuzz/Checks
RUN swift build -c release --static-swift-stdlib --product filings-server \
    && swift build -c release --static-swift-stdlib --product filings \
    && mkdir /out && cp .build/release/filings-server .build/release/filings /out/

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libprotobuf-c1 libsqlite3-0 libdeflate0 libarchive13 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/filings filings
COPY --from=build /out/filings-server /out/filings /usr/local/bin/
USER filings
WORKDIR /var/lib/filings
ENV FILINGS_LISTEN=0.0.0.0:7878
EXPOSE 7878 9464
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
    CMD ["filings", "health", "--addr", "127.0.0.1:7878"]
ENTRYPOINT ["filings-server"]
