package org.khmerai.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.khmerai.infrastructure.ChildProcesses;

/** One platform service, started from its runnable jar as a child process, as it runs in production. */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path logFile;

    private ServiceProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts a service with half its heap young and survivor spaces of 32 MB: what a call allocates
     * dies with the call, but under load a collection finds the calls still open, and with the
     * default sizing (survivors of 13 MB) their objects overflowed into the old generation. In bench
     * chat-relay's 200-open load the llm service's heap after a young collection grew to 230 MB of
     * 365 MB in one round, on its way to a full collection; with this sizing it stays at 45-57 MB.
     * Metaspace starts at 128 MB: a Spring service loads more classes than the default 21 MB, and each
     * time its classes outgrew the threshold the whole heap was collected (0.3-0.75 s at start, 69 ms
     * in the middle of bench chat-relay's load).
     * <p>
     * An object still alive at its third young collection moves to the old generation
     * ({@code MaxTenuringThreshold=2}, not the default 15). A call under load lasts about a second, so
     * what survives two collections (several seconds apart) is kept by the service: caches, pools and
     * tables its first calls filled. With the default, the gateway copied 11-13 MB of these between
     * its survivor spaces at every young collection for its first minutes of load (15 collections,
     * about 9 s apart), and that copying was most of its pause: 26-69 ms late in bench chat-relay's
     * 200-open load, 4-16 ms with this threshold. (The llm service's pauses, 3-38 ms, hardly moved:
     * what it copies is its open calls.) The price: an answer streamed for longer than two
     * collections leaves its objects to the old generation, for a full collection to reclaim.
     */
    static ServiceProcess start(String name, Path jar, Map<String, String> environment, Path logFile) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no runnable jar for " + name + " at " + jar + "; build with ./mvnw package");
        }
        return java(name, List.of("-Xmx384m", "-Xmn192m", "-XX:SurvivorRatio=4", "-XX:MaxTenuringThreshold=2", "-XX:MetaspaceSize=128m",
                "-jar", jar.toString()), environment, logFile);
    }

    /**
     * A Kafka broker in a process of its own, from this JVM's class path, so that a test can kill it
     * and start it again on the same log and ports.
     */
    static ServiceProcess kafka(Path dataDir, int port, int controllerPort, Path logFile) throws IOException {
        return java("kafka", List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), "org.khmerai.infrastructure.KafkaBroker",
                dataDir.toString(), String.valueOf(port), String.valueOf(controllerPort)), Map.of(), logFile);
    }

    private static ServiceProcess java(String name, List<String> arguments, Map<String, String> environment, Path logFile)
            throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:+UseSerialGC", "--sun-misc-unsafe-memory-access=allow"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
        builder.environment().putAll(environment);
        return new ServiceProcess(name, builder.start(), logFile);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the service accepts connections on each of its ports. */
    void awaitListening(Duration timeout, int... ports) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        for (int port : ports) {
            while (!accepts(port)) {
                if (!process.isAlive()) {
                    throw new IOException(name + " exited with " + process.exitValue() + "; see " + logFile);
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException(name + " did not listen on " + port + " within " + timeout + "; see " + logFile);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process, Duration.ofSeconds(20));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
