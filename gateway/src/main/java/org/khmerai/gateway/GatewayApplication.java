package org.khmerai.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The platform's front door. Requests enter at {@link org.khmerai.gateway.rest.RestTranscoder} (REST,
 * port 8080) and {@link org.khmerai.gateway.grpc.GrpcProxy} (gRPC, port 9090); both forward over gRPC
 * to the service that owns the contract.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
