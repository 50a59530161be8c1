package org.khmerai.model;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelPool;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The connections to the model servers, over HTTP/1.1 (TLS for an {@code https} server, its name
 * checked against its certificate). A connection whose response has ended is kept for the next call
 * to the same server, and closed after {@link #IDLE_CLOSE} unused. Responses are read on a few event
 * loop threads shared by every call: a part of a response is handed to its {@link ResponseListener}
 * on the thread that read it, with no hand-over to another thread.
 */
final class ModelServerConnections implements AutoCloseable {

    /** How long a connection is kept unused before it is closed. */
    static final Duration IDLE_CLOSE = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final AttributeKey<ResponseListener> LISTENER = AttributeKey.valueOf(ModelServerConnections.class, "listener");
    private static final AttributeKey<Origin> ORIGIN = AttributeKey.valueOf(ModelServerConnections.class, "origin");

    private final EventLoopGroup loops;
    private final Bootstrap bootstrap;
    private final SslContext tls;
    private final Map<Origin, ChannelPool> pools = new ConcurrentHashMap<>();
    private final ChannelHandler responses = new Responses();
    private final Duration idleClose;

    /** Where connections go: a scheme, a host and a port. */
    private record Origin(boolean tls, String host, int port) {

        static Origin of(URI uri) {
            boolean tls = uri.getScheme().equalsIgnoreCase("https");
            return new Origin(tls, uri.getHost(), uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80);
        }
    }

    /**
     * @param threads how many event loop threads read the responses
     * @param trust   the certificates an https server's must chain to; null for the JDK's trust store
     *                (which {@code -Djavax.net.ssl.trustStore} replaces)
     * @param idleClose how long a connection is kept unused: {@link #IDLE_CLOSE} but in tests
     */
    ModelServerConnections(int threads, TrustManagerFactory trust, Duration idleClose) {
        this.idleClose = idleClose;
        loops = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("model-server-io", true), NioIoHandler.newFactory());
        bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .option(ChannelOption.TCP_NODELAY, true);
        try {
            tls = SslContextBuilder.forClient().trustManager(trust).endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            throw new IllegalStateException("the JDK's TLS could not be set up", e);
        }
    }

    /**
     * A connection to the server of {@code uri} (http or https, as {@link ModelServer} checks): one kept from an earlier call, or a new one. The
     * future completes on the connection's event loop; it fails when the server cannot be reached.
     */
    Future<Channel> acquire(URI uri) {
        return pools.computeIfAbsent(Origin.of(uri), this::pool).acquire();
    }

    /** Sends {@code request} on an acquired connection; its response goes to {@code listener}. */
    void send(Channel connection, HttpRequest request, ResponseListener listener) {
        connection.attr(LISTENER).set(listener);
        connection.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess()) {
                ResponseListener waiting = connection.attr(LISTENER).getAndSet(null);
                connection.close();
                if (waiting != null) {
                    waiting.broken(written.cause());
                }
            }
        });
    }

    /**
     * Closes {@code connection} if {@code listener} is still receiving its response; one whose response
     * has ended is left alone, since it may be serving the next call already.
     */
    void abandon(Channel connection, ResponseListener listener) {
        if (connection.attr(LISTENER).get() == listener) {
            drop(connection);
        }
    }

    /** Keeps a connection whose response has ended for the next call. */
    void release(Channel connection) {
        connection.attr(LISTENER).set(null);
        pools.get(connection.attr(ORIGIN).get()).release(connection);
    }

    /**
     * Keeps a connection whose response has ended for the next call when the server keeps it open
     * ({@code keepAlive}, from the response's head), and closes it otherwise.
     */
    void ended(Channel connection, boolean keepAlive) {
        if (keepAlive) {
            release(connection);
        } else {
            drop(connection);
        }
    }

    /** Closes a connection whose response is not wanted to its end: the server sees its client go. */
    void drop(Channel connection) {
        connection.attr(LISTENER).set(null);
        connection.close();
    }

    /**
     * Sends {@code request} and reads its whole response, keeping at most {@code maxBody} bytes of its
     * body. Cancelling the future drops the connection.
     */
    CompletableFuture<WholeResponse> exchange(URI uri, HttpRequest request, int maxBody) {
        CompletableFuture<WholeResponse> whole = new CompletableFuture<>();
        acquire(uri).addListener((Future<Channel> acquired) -> {
            if (!acquired.isSuccess()) {
                whole.completeExceptionally(acquired.cause());
                return;
            }
            Channel connection = acquired.getNow();
            if (whole.isDone()) {
                release(connection);
                return;
            }
            WholeResponseReader reader = new WholeResponseReader(connection, maxBody, whole);
            send(connection, request, reader);
            whole.whenComplete((response, failure) -> {
                if (whole.isCancelled()) {
                    connection.eventLoop().execute(() -> abandon(connection, reader));
                }
            });
        });
        return whole;
    }

    /** A response read to its end: its status and the start of its body. */
    record WholeResponse(int status, byte[] body) {
    }

    private final class WholeResponseReader implements ResponseListener {

        private final Channel connection;
        private final int maxBody;
        private final CompletableFuture<WholeResponse> whole;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int status;
        private boolean keepAlive;

        WholeResponseReader(Channel connection, int maxBody, CompletableFuture<WholeResponse> whole) {
            this.connection = connection;
            this.maxBody = maxBody;
            this.whole = whole;
        }

        @Override
        public void response(HttpObject part) {
            if (part instanceof HttpResponse head) {
                status = head.status().code();
                keepAlive = HttpUtil.isKeepAlive(head);
            }
            if (part instanceof HttpContent content) {
                keep(content.content(), body, maxBody);
                if (part instanceof LastHttpContent) {
                    ended(connection, keepAlive);
                    whole.complete(new WholeResponse(status, body.toByteArray()));
                }
            }
        }

        @Override
        public void broken(Throwable cause) {
            whole.completeExceptionally(cause);
        }
    }

    /** Copies the bytes of {@code from} into {@code into} as long as it holds fewer than {@code max}. */
    static void keep(ByteBuf from, ByteArrayOutputStream into, int max) {
        int count = Math.min(from.readableBytes(), max - into.size());
        if (count > 0) {
            byte[] bytes = new byte[count];
            from.readBytes(bytes);
            into.writeBytes(bytes);
        }
    }

    private ChannelPool pool(Origin origin) {
        return new SimpleChannelPool(bootstrap.clone().remoteAddress(origin.host(), origin.port()), new AbstractChannelPoolHandler() {
            @Override
            public void channelCreated(Channel connection) {
                connection.attr(ORIGIN).set(origin);
                if (origin.tls()) {
                    connection.pipeline().addLast(tls.newHandler(connection.alloc(), origin.host(), origin.port()));
                }
                connection.pipeline().addLast(new HttpClientCodec(),
                        new IdleStateHandler(0, 0, idleClose.toMillis(), TimeUnit.MILLISECONDS), responses);
            }
        });
    }

    /** Hands each part of a response to the listener of its connection, and closes a connection left unused. */
    @ChannelHandler.Sharable
    private static final class Responses extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            try {
                ResponseListener listener = context.channel().attr(LISTENER).get();
                if (listener == null || !(message instanceof HttpObject part)) {
                    return;
                }
                if (part.decoderResult().isFailure()) {
                    context.channel().attr(LISTENER).set(null);
                    context.close();
                    listener.broken(new IOException("the response is not valid HTTP", part.decoderResult().cause()));
                } else {
                    listener.response(part);
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            ResponseListener listener = context.channel().attr(LISTENER).getAndSet(null);
            if (listener != null) {
                listener.broken(new IOException("the server closed the connection"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            ResponseListener listener = context.channel().attr(LISTENER).getAndSet(null);
            context.close();
            if (listener != null) {
                listener.broken(cause);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object event) {
            if (event instanceof IdleStateEvent && context.channel().attr(LISTENER).get() == null) {
                context.close();
            } else {
                context.fireUserEventTriggered(event);
            }
        }
    }

    @Override
    public void close() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
