package org.khmerai.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Ports for servers that cannot bind port 0 themselves, so that two test runs never collide. */
public final class FreePorts {

    /**
     * Every port handed out by this process. The kernel hands a port just released to the next
     * bind of port 0 again (about once in thirty here), so a stack whose servers each asked for a
     * free port before any of them bound it could give two of them the same one.
     */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** {@code port} itself, or a free loopback port when it is 0. */
    public static int orFree(int port) {
        return port != 0 ? port : free();
    }

    /** Whether nothing listens on {@code port} of the loopback interface. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A loopback port nothing listens on, never one this process has handed out before. */
    public static int free() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on the loopback interface", e);
            }
        }
        throw new IllegalStateException("no loopback port left that this process has not handed out already");
    }
}
