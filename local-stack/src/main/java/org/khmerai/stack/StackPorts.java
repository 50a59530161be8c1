package org.khmerai.stack;

import java.util.List;
import java.util.stream.Stream;
import org.khmerai.infrastructure.FreePorts;

/** The ports of one running stack: the architecture's fixed ones locally, free ones in tests. */
public record StackPorts(int keycloak, int keycloakManagement, int kafka, int kafkaController, int postgres,
                         int gatewayHttp, int gatewayGrpc, int segmentation, int llm, int audit, int translation) {

    /**
     * gateway REST 8080, gRPC 9090, services 9091 (segmentation), 9094 (llm), 9095 (audit) and 9096
     * (translation: 9092 and 9093 are Kafka's), Keycloak 8180, Kafka 9092, PostgreSQL 5432.
     */
    public static StackPorts architecture() {
        return new StackPorts(8180, 9180, 9092, 9093, 5432, 8080, 9090, 9091, 9094, 9095, 9096);
    }

    /** The ports some other process already listens on. */
    public List<Integer> taken() {
        return Stream.of(keycloak, keycloakManagement, kafka, kafkaController, postgres, gatewayHttp, gatewayGrpc,
                segmentation, llm, audit, translation).filter(port -> !FreePorts.isFree(port)).toList();
    }

    public static StackPorts free() {
        return new StackPorts(FreePorts.free(), FreePorts.free(), FreePorts.free(), FreePorts.free(), FreePorts.free(),
                FreePorts.free(), FreePorts.free(), FreePorts.free(), FreePorts.free(), FreePorts.free(), FreePorts.free());
    }
}
