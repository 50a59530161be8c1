package org.khmerai.infrastructure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/** A real single-node Kafka (KRaft broker and controller in one) inside this JVM, from Kafka's own jars. */
public final class KafkaBroker implements AutoCloseable {

    private static KafkaBroker forTests;

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private KafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker whose log lives in {@code dataDir}; a directory formatted before is reused.
     *
     * @param port           the client port, 0 for a free one
     * @param controllerPort the KRaft controller port, 0 for a free one
     */
    public static KafkaBroker start(Path dataDir, int port, int controllerPort) throws IOException {
        int clientPort = FreePorts.orFree(port);
        int quorumPort = FreePorts.orFree(controllerPort);
        Files.createDirectories(dataDir);
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + quorumPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + quorumPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("log.dirs", dataDir.resolve("log").toString());
        config.put("num.partitions", "3");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "3");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("auto.create.topics.enable", "true");
        format(dataDir, config);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
        server.startup();
        return new KafkaBroker(server, "127.0.0.1:" + clientPort);
    }

    /**
     * Runs a broker in a process of its own, for tests that stop Kafka the hard way and start it again:
     * {@code DATA_DIR PORT CONTROLLER_PORT}. Prints {@code kafka ready BOOTSTRAP} once it serves.
     */
    public static void main(String[] args) throws Exception {
        KafkaBroker broker = start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        System.out.println("kafka ready " + broker.bootstrapServers());
        Thread.currentThread().join();
    }

    /**
     * For a module's tests: one broker for the whole JVM (its log under {@code target/}), started at
     * the first call and stopped when the JVM ends.
     *
     * @return its bootstrap servers
     */
    public static synchronized String forTests() {
        if (forTests == null) {
            try {
                forTests = start(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kafka"), 0, 0);
            } catch (IOException e) {
                throw new IllegalStateException("Kafka for the tests did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(forTests::close));
        }
        return forTests.bootstrapServers();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static void format(Path dataDir, Properties config) throws IOException {
        if (Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
            return;
        }
        Path file = dataDir.resolve("server.properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            config.store(writer, "written by KafkaBroker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", file.toString()}, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IOException("formatting the Kafka log failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }
}
