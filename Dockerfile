# One image per service, from the runnable jar that ./mvnw package builds:
#   ./mvnw -B package -DskipTests
#   docker build --build-arg SERVICE=llm-service -t khmer-ai/llm-service:0.1.0 .
# SERVICE: segmentation-service, llm-service, translation-service, audit-service or gateway.
FROM eclipse-temurin:25-jre
ARG SERVICE
RUN groupadd --system --gid 10001 khmer-ai && useradd --system --uid 10001 --gid khmer-ai --home-dir /app khmer-ai \
    && mkdir -p /app/spool /app/keys && chown khmer-ai:khmer-ai /app/spool /app/keys
COPY ${SERVICE}/target/${SERVICE}-*-exec.jar /app/service.jar
WORKDIR /app
USER 10001
# the audit spool (events waiting while Kafka cannot take them) belongs on a volume
ENV KHMER_AI_AUDIT_SPOOL_DIR=/app/spool \
    SPRING_GRPC_SERVER_HOST=0.0.0.0 \
    SERVER_ADDRESS=0.0.0.0
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", \
            "-jar", "/app/service.jar"]
