package io.binfleet.broker;

import io.binfleet.kafka.KafkaSettings;
import io.binfleet.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * For integration tests: binfleet's topics on an embedded broker, and a way to read a topic back. {@link #start()}
 * starts a broker of the fixture's own; {@link #shared()} uses one broker for the whole test JVM with topics under a
 * prefix of the fixture's own. Close it in {@code @AfterAll} (or try-with-resources).
 */
public final class KafkaFixture implements AutoCloseable {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static EmbeddedBroker sharedBroker;
    private final EmbeddedBroker broker;
    private final KafkaSettings settings;

    private KafkaFixture(EmbeddedBroker broker, KafkaSettings settings) {
        this.broker = broker;
        this.settings = settings;
    }

    /** A fixture over a broker started elsewhere (e.g. a Testcontainers Kafka); closing it leaves that broker alone. */
    public static KafkaFixture external(String bootstrap) {
        KafkaFixture fixture = new KafkaFixture(null, KafkaSettings.of(bootstrap));
        try (Admin admin = Admin.create(fixture.settings.client())) {
            fixture.settings.topics().ensure(admin);
        }
        return fixture;
    }

    /**
     * Topics under a new prefix ({@code itN.}, with their own worker group and reducer application id) on the broker
     * that every test of this JVM shares: started on first use, stopped when the JVM exits (a broker of this process,
     * so it cannot outlive the tests). Closing the fixture leaves the broker running. Tests see only their own
     * records, and the suite starts one broker instead of one per test class.
     */
    public static KafkaFixture shared() {
        EmbeddedBroker broker = sharedBroker();
        Topics topics = new Topics("it" + PREFIXES.incrementAndGet() + ".");
        KafkaFixture fixture = new KafkaFixture(null, new KafkaSettings(broker.bootstrapServers(), topics, Map.of()));
        try (Admin admin = Admin.create(fixture.settings.client())) {
            fixture.settings.topics().ensure(admin);
        }
        return fixture;
    }

    private static synchronized EmbeddedBroker sharedBroker() {
        if (sharedBroker == null) {
            EmbeddedBroker broker = EmbeddedBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "shared-broker-stop"));
            sharedBroker = broker;
        }
        return sharedBroker;
    }

    /** The command-line options that point a {@code binfleet} command at this fixture's broker and topics. */
    public List<String> cliOptions() {
        return List.of(
                "--bootstrap",
                settings.bootstrap(),
                "--topic-prefix",
                settings.topics().prefix());
    }

    public static KafkaFixture start() {
        EmbeddedBroker broker = EmbeddedBroker.start();
        KafkaFixture fixture = new KafkaFixture(broker, KafkaSettings.of(broker.bootstrapServers()));
        try (Admin admin = Admin.create(fixture.settings.client())) {
            fixture.settings.topics().ensure(admin);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return fixture;
    }

    /** Sets the worker share group's record lock (the broker allows 1 s and up here). */
    public void recordLock(Duration lock) {
        try (Admin admin = Admin.create(settings.client())) {
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(
                                    ConfigResource.Type.GROUP, settings.topics().workerGroup()),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("share.record.lock.duration.ms", Long.toString(lock.toMillis())),
                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set the record lock: " + e.getCause(), e);
        }
    }

    public KafkaSettings settings() {
        return settings;
    }

    public EmbeddedBroker broker() {
        return broker;
    }

    /**
     * Reads {@code topic} from the start (committed records only) until {@code expected} records match
     * {@code filter} or {@code timeout} passes, then for {@code quiet} longer, so that records beyond the expected
     * ones (duplicates) are caught too.
     */
    public List<ConsumerRecord<String, byte[]>> read(
            String topic,
            Predicate<ConsumerRecord<String, byte[]>> filter,
            int expected,
            Duration timeout,
            Duration quiet) {
        Properties p = settings.client();
        p.put("group.id", "check-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> collect(r, filter, out));
            }
            long extra = System.nanoTime() + quiet.toNanos();
            while (System.nanoTime() < extra) {
                c.poll(Duration.ofMillis(200)).forEach(r -> collect(r, filter, out));
            }
        }
        return out;
    }

    private static void collect(
            ConsumerRecord<String, byte[]> r,
            Predicate<ConsumerRecord<String, byte[]>> filter,
            List<ConsumerRecord<String, byte[]>> out) {
        if (filter.test(r)) {
            out.add(r);
        }
    }

    /** Records keyed by {@code key}. */
    public static Predicate<ConsumerRecord<String, byte[]>> key(String key) {
        return r -> key.equals(r.key());
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
