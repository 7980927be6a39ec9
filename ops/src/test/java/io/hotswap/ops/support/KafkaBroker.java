package io.hotswap.ops.support;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * One real Kafka broker (KRaft, broker and controller in one node) in this JVM that can be stopped and started again
 * on the same port with its log directory kept, as a restarted broker would be. spring-kafka-test's
 * {@code EmbeddedKafkaKraftBroker} cannot do that: it picks new ports on every start.
 */
public final class KafkaBroker {

    private static final int NODE_ID = 1;

    private final Path logDirectory;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private KafkaBroker(Path logDirectory, int port, int controllerPort) {
        this.logDirectory = logDirectory;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats a fresh log directory on two free ports, starts the broker and creates {@code topic}. */
    public static KafkaBroker startWithTopic(String topic, int partitions) {
        try {
            KafkaBroker broker = new KafkaBroker(Files.createTempDirectory("hotswap-test-kafka"), freePort(), freePort());
            new Formatter().setNodeId(NODE_ID).setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(broker.logDirectory.toString())
                    .setMetadataLogDirectory(broker.logDirectory.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .run();
            broker.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException("could not create topic " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("could not format the broker's log directory", e);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public synchronized void start() {
        if (server != null) throw new IllegalStateException("already running");
        Properties config = new Properties();
        config.putAll(Map.of(
                "process.roles", "broker,controller",
                "node.id", String.valueOf(NODE_ID),
                "controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort,
                "listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners", "PLAINTEXT://localhost:" + port,
                "controller.listener.names", "CONTROLLER",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs", logDirectory.toString()));
        // a single node: internal topics with one replica, and no wait for other group members
        config.putAll(Map.of(
                "offsets.topic.replication.factor", "1",
                "offsets.topic.num.partitions", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0"));
        server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
    }

    /** A clean shutdown, as when the broker's process is stopped: what it acknowledged stays in its log directory. */
    public synchronized void stop() {
        if (server == null) return;
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    /** Stops the broker for good and deletes its log directory. */
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(logDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
