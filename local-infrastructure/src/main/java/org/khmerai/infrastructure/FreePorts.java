package org.khmerai.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for servers that cannot bind port 0 themselves, so that two test runs never collide. */
public final class FreePorts {

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

    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }
}
