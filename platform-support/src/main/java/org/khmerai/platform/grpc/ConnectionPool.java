package org.khmerai.platform.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Several connections to one server, each call going over the next in turn.
 *
 * <p>All the calls of one HTTP/2 connection are read and written by one event loop thread on each
 * side: a backend's 200 open streams on one connection wait on one thread of the caller and one of
 * the server, whichever of their cores is free. Several connections spread them over as many event
 * loops, and in a cluster over the server's replicas behind one address.
 */
public final class ConnectionPool extends Channel implements AutoCloseable {

    private final List<ManagedChannel> connections;
    private final AtomicInteger turn = new AtomicInteger();

    /** {@code size} connections, each made by {@code connect}. */
    public ConnectionPool(int size, Supplier<ManagedChannel> connect) {
        if (size < 1) {
            throw new IllegalArgumentException("a connection pool needs at least one connection, not " + size);
        }
        this.connections = Stream.generate(connect).limit(size).toList();
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
        return next().newCall(method, options);
    }

    @Override
    public String authority() {
        return connections.getFirst().authority();
    }

    private ManagedChannel next() {
        return connections.get(Math.floorMod(turn.getAndIncrement(), connections.size()));
    }

    /** Cancels the calls under way and closes every connection. */
    public void shutdownNow() {
        connections.forEach(ManagedChannel::shutdownNow);
    }

    /** Lets the calls under way finish, for up to 5 seconds, and closes every connection. */
    @Override
    public void close() throws InterruptedException {
        connections.forEach(ManagedChannel::shutdown);
        for (ManagedChannel connection : connections) {
            connection.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
