# syntax=docker/dockerfile:1
#
# The Conveyor image: the distribution tarball (distribution/target/conveyor-VERSION-bin.tar.gz)
# unpacked in /app, run as `conveyor server` by default; the same image runs `conveyor worker …`, the
# client commands, and the datacenter simulator (/app/bin/dc-sim). Build from the repository root:
#   docker build -t conveyor:local .
# Needs BuildKit (the default since Docker Engine 23 and in `docker compose`; with docker-compose
# v1 set DOCKER_BUILDKIT=1 and COMPOSE_DOCKER_CLI_BUILD=1).

# ---- build: Maven on the Temurin 21 JDK -----------------------------------------------------------
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
# One reactor run makes the tarball (nothing is installed). The cache mount keeps downloads between
# builds (BuildKit). Tests are run by CI against a real database, not inside an image build.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -DskipTests -pl distribution -am package \
 && mkdir /out \
 && tar -xzf distribution/target/conveyor-*-bin.tar.gz -C /out --strip-components=1

# ---- runtime: the Temurin 21 JRE, as a user without privileges -----------------------------------
FROM eclipse-temurin:21-jre
# curl is for the health check only; Temurin images stopped promising it (adoptium/containers#814).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 conveyor \
 && useradd --uid 10001 --gid conveyor --no-create-home --home-dir /app --shell /usr/sbin/nologin conveyor \
 && mkdir -p /app/data /var/lib/dc-sim \
 && chown conveyor:conveyor /app/data /var/lib/dc-sim
COPY --from=build /out/ /app/
WORKDIR /app
USER 10001:10001

# gRPC API, then /metrics, /healthz and /readyz (the defaults of --grpc-port and --http-port).
EXPOSE 7070 7071
# Where a server without --db-url keeps the embedded MariaDB's data. The compose and Kubernetes
# files always give a database URL; the embedded database is not tested inside this image.
ENV CONVEYOR_DATA_DIR=/app/data

# Ready means the database answers with the schema this version expects. Worker and dc-sim
# containers serve no HTTP port: their compose services turn this check off. The server needs TLS
# (CONVEYOR_TLS_CERT, CONVEYOR_TLS_KEY, CONVEYOR_TOKEN_FILE) or CONVEYOR_PLAINTEXT=true; with TLS
# the check speaks HTTPS to itself (-k: it asks its own loopback address, not a remote peer).
HEALTHCHECK --interval=10s --timeout=3s --start-period=90s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${CONVEYOR_HTTP_PORT:-7071}/readyz" \
     || curl -fsSk "https://127.0.0.1:${CONVEYOR_HTTP_PORT:-7071}/readyz" || exit 1

# The heap follows the container's memory limit rather than the host's. The launcher checks the JDK,
# picks the class path (client commands leave out lib/server/) and adds the JVM flags; /app is not
# writable, so it keeps no class-data archive here.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75.0"
ENTRYPOINT ["/app/bin/conveyor"]
CMD ["server"]
