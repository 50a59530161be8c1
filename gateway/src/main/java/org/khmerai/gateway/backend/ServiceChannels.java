package org.khmerai.gateway.backend;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** One gRPC channel per backend, found by the full name of the contract a call is for. */
public final class ServiceChannels implements AutoCloseable {

    private final List<ManagedChannel> channels;
    private final Map<String, ManagedChannel> byService = new HashMap<>();

    public ServiceChannels(Map<String, GatewayProperties.Backend> backends) {
        this.channels = backends.values().stream().map(backend -> {
            // the calls' callbacks on virtual threads: a REST event stream's may wait on a slow portal
            ManagedChannel channel = NettyChannelBuilder.forTarget(backend.address()).usePlaintext()
                    .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            backend.services().forEach(service -> byService.put(service, channel));
            return channel;
        }).toList();
    }

    public Optional<Channel> forService(String fullServiceName) {
        return Optional.ofNullable(byService.get(fullServiceName));
    }

    @Override
    public void close() throws InterruptedException {
        channels.forEach(ManagedChannel::shutdown);
        for (ManagedChannel channel : channels) {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
