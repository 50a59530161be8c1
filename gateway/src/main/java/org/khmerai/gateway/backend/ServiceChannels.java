package org.khmerai.gateway.backend;

import io.grpc.Channel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.khmerai.platform.grpc.ConnectionPool;

/** The connections to each backend, found by the full name of the contract a call is for. */
public final class ServiceChannels implements AutoCloseable {

    // the calls' callbacks on virtual threads: a REST event stream's may wait on a slow portal
    private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
    private final List<ConnectionPool> pools;
    private final Map<String, ConnectionPool> byService = new HashMap<>();

    public ServiceChannels(Map<String, GatewayProperties.Backend> backends) {
        this.pools = backends.values().stream().map(backend -> {
            ConnectionPool pool = new ConnectionPool(backend.connections(),
                    () -> NettyChannelBuilder.forTarget(backend.address()).usePlaintext().executor(callbacks).build());
            backend.services().forEach(service -> byService.put(service, pool));
            return pool;
        }).toList();
    }

    public Optional<Channel> forService(String fullServiceName) {
        return Optional.ofNullable(byService.get(fullServiceName));
    }

    @Override
    public void close() throws InterruptedException {
        for (ConnectionPool pool : pools) {
            pool.close();
        }
        callbacks.close();
    }
}
