# syntax=docker/dockerfile:1
#
# logship image: build with Maven, run on a JRE only.
#   docker build -t logship .
#   docker run -p 8000:8000 -v logship-data:/var/lib/logship logship

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY src ./src
# The local repository is a build cache, not a layer: a source edit does not download
# Camel again, and the image never carries ~/.m2.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# curl for the HEALTHCHECK; the JRE image does not promise it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

# A fixed uid/gid so a bind-mounted DATA_DIR can be chowned to it on the host.
RUN groupadd --system --gid 10001 logship \
 && useradd --system --uid 10001 --gid logship --home-dir /opt/logship --shell /usr/sbin/nologin logship

WORKDIR /opt/logship
# The jar's manifest names its dependencies as lib/<artifact>.jar, relative to the jar.
# lib changes less often than the jar, so it is its own layer.
COPY --from=build /build/target/lib/ ./lib/
COPY --from=build /build/target/logship.jar ./logship.jar

# Uploads in progress, the durable spool and dead letters live here. Created and owned
# before VOLUME so a fresh named volume starts writable for the non-root user.
ENV DATA_DIR=/var/lib/logship \
    HTTP_PORT=8000
RUN mkdir -p /var/lib/logship && chown logship:logship /var/lib/logship
VOLUME ["/var/lib/logship"]

USER logship
EXPOSE 8000

# Liveness, not /observe/health: a down Logstash or a full spool is reported there, and restarting
# logship fixes neither (docs/LOGSTASH_INTEGRATION.md, Health). Shell form so the ports are honoured.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS "http://localhost:${MANAGEMENT_PORT:-${HTTP_PORT:-8000}}/observe/health/live" > /dev/null || exit 1

# Sized from the container's memory limit rather than the host's; add flags through
# JAVA_TOOL_OPTIONS.
# Arguments are passed on: `docker run --rm -v "$PWD/routes:/out" --user "$(id -u)" logship --copy-routes /out`
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-jar", "/opt/logship/logship.jar"]
