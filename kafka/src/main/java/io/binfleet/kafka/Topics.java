package io.binfleet.kafka;

import io.binfleet.core.spec.Limits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The topics of DESIGN §3 under a common prefix (default {@code binfleet.}), and their idempotent creation.
 *
 * @param prefix        prepended to every topic name, e.g. {@code "binfleet."}
 * @param deliveryLimit how many times the worker share group hands out one task record
 *                      ({@code share.delivery.count.limit}, set on the group by {@link #ensure}); workers treat the
 *                      attempt that reaches it as the last
 * @param taskPartitions how many partitions the tasks topic gets when {@link #ensure} creates it (or grows it to); a
 *                      job's pieces are spread over all of them
 */
public record Topics(String prefix, int deliveryLimit, int taskPartitions) {
    private static final org.slf4j.Logger LOGGER = org.slf4j.LoggerFactory.getLogger(Topics.class);

    /**
     * How binfleet's topics are replicated on a cluster of {@code brokers}: {@code factor} = min(3, brokers) copies,
     * {@code minInsyncReplicas} = 2 when there are 3 or more (an acks=all write survives the loss of any one broker).
     */
    public record Replication(int brokers, int factor, int minInsyncReplicas) {
        public static Replication of(int brokers) {
            int factor = Math.max(1, Math.min(3, brokers));
            return new Replication(brokers, factor, factor >= 3 ? 2 : 1);
        }
    }

    /** The replication for the cluster {@code admin} talks to; warns when it is a cluster of two (two copies, no room). */
    public static Replication replication(Admin admin) {
        int brokers;
        try {
            brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the cluster", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot describe the Kafka cluster: " + (e.getCause() == null ? e : e.getCause()), e);
        }
        Replication r = Replication.of(brokers);
        if (brokers == 2) {
            LOGGER.warn("a cluster of 2 brokers: binfleet's topics get 2 copies and min.insync.replicas 1; with 3 or "
                    + "more brokers a broker can fail without losing an acknowledged write");
        }
        return r;
    }

    /** Adds partitions to a tasks topic made before with fewer than {@link #taskPartitions} (never removes any). */
    private void growTasks(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        int now = describeWhenVisible(admin, List.of(tasks()))
                .get(tasks())
                .partitions()
                .size();
        if (now < taskPartitions) {
            try {
                admin.createPartitions(Map.of(tasks(), NewPartitions.increaseTo(taskPartitions)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                LOGGER.info("topic {} grown from {} to {} partitions", tasks(), now, taskPartitions);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof InvalidPartitionsException)) {
                    throw e; // another service grew it meanwhile: fine
                }
            }
        }
    }

    /** Warns about binfleet topics made before with fewer copies than the cluster now allows (they are not changed). */
    private void warnIfUnderReplicated(Admin admin, Set<String> existing, Replication replication) {
        if (replication.brokers() < 2) {
            return;
        }
        List<String> ours = all().stream().filter(existing::contains).toList();
        if (ours.isEmpty()) {
            return;
        }
        try {
            admin.describeTopics(ours).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, d) -> {
                int copies = d.partitions().isEmpty()
                        ? 0
                        : d.partitions().get(0).replicas().size();
                if (copies < replication.factor()) {
                    LOGGER.warn(
                            "topic {} has {} cop{} on a cluster of {} brokers (binfleet makes {}): a broker's loss can "
                                    + "lose it; reassign its partitions to more brokers",
                            name,
                            copies,
                            copies == 1 ? "y" : "ies",
                            replication.brokers(),
                            replication.factor());
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOGGER.debug("topics not described: {}", e.toString());
        }
    }

    public static final String DEFAULT_PREFIX = "binfleet.";
    /** The delivery limit unless one is given: Kafka's own default. */
    public static final int DEFAULT_DELIVERY_LIMIT = 5;
    /** The range Kafka accepts for a group's delivery count limit (broker defaults). */
    public static final int MIN_DELIVERY_LIMIT = 2;

    public static final int MAX_DELIVERY_LIMIT = 10;
    /** The share group every worker joins. */
    public static final String WORKER_GROUP = "binfleet-workers";
    /**
     * One task partition unless told otherwise: Kafka's share-group assignor gives each member its own share of the
     * partitions (two members of a group on eight partitions get four each), so with more than one an idle worker can
     * wait while the pieces left are on a busy worker's partitions. One partition, shared by every member, never
     * leaves a worker idle while pieces wait; more spread the task traffic over brokers for a very large fleet.
     */
    public static final int DEFAULT_TASK_PARTITIONS = 1;
    /** The most task partitions (one share partition locks at most 2,000 records at a time; this is plenty). */
    public static final int MAX_TASK_PARTITIONS = 1000;

    static final int PARTITIONS = 4;
    /** How long a code bundle is kept after it was last shipped. */
    public static final java.time.Duration CODE_RETENTION = java.time.Duration.ofDays(30);
    /** How often the checkpoints topic rolls a segment (and how long a checkpoint's tombstone stays). */
    static final java.time.Duration CHECKPOINT_SEGMENT = java.time.Duration.ofMinutes(10);

    public Topics {
        if (deliveryLimit < MIN_DELIVERY_LIMIT || deliveryLimit > MAX_DELIVERY_LIMIT) {
            throw new IllegalArgumentException("the delivery limit must be in " + MIN_DELIVERY_LIMIT + ".."
                    + MAX_DELIVERY_LIMIT + ", got " + deliveryLimit);
        }
        if (taskPartitions < 1 || taskPartitions > MAX_TASK_PARTITIONS) {
            throw new IllegalArgumentException(
                    "the task partitions must be in 1.." + MAX_TASK_PARTITIONS + ", got " + taskPartitions);
        }
    }

    /** The topics under {@code prefix}, with the default delivery limit and one task partition. */
    public Topics(String prefix) {
        this(prefix, DEFAULT_DELIVERY_LIMIT);
    }

    /** The topics under {@code prefix}, with one task partition. */
    public Topics(String prefix, int deliveryLimit) {
        this(prefix, deliveryLimit, DEFAULT_TASK_PARTITIONS);
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    public String tasks() {
        return prefix + "tasks";
    }

    public String pieces() {
        return prefix + "pieces";
    }

    public String jobs() {
        return prefix + "jobs";
    }

    public String results() {
        return prefix + "results";
    }

    public String dlq() {
        return prefix + "dlq";
    }

    /** The code jobs ship with them, keyed by the bundle's SHA-256. */
    public String code() {
        return prefix + "code";
    }

    /** Running pieces' saved states, keyed {@code jobId/piece}; tombstoned once a piece's result is in. */
    public String checkpoints() {
        return prefix + "checkpoints";
    }

    public List<String> all() {
        return List.of(tasks(), pieces(), jobs(), results(), dlq(), code(), checkpoints());
    }

    /** The share group of this prefix's workers. */
    public String workerGroup() {
        return DEFAULT_PREFIX.equals(prefix) ? WORKER_GROUP : prefix + WORKER_GROUP;
    }

    /** The reducer's Kafka Streams application id, which is also its consumer group. */
    public String reducerGroup() {
        return prefix + "reducer";
    }

    /**
     * Describes {@code names}, waiting for them if need be: a topic just made (here, or by another service) reaches a
     * broker's metadata a moment after its creation returns, and a client that looks for its partitions before that
     * finds none.
     */
    private static Map<String, TopicDescription> describeWhenVisible(Admin admin, List<String> names)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * Creates the topics that do not exist yet, each with {@link #replication} copies and its
     * {@code min.insync.replicas} (jobs, results, code and checkpoints compacted) and configures the worker share group:
     * start from the earliest record, committed records only, lock renewal, and the delivery limit. Safe to call from
     * every service at every start.
     */
    public Replication ensure(Admin admin) {
        Replication replication = replication(admin);
        String minIsr = Integer.toString(replication.minInsyncReplicas());
        Map<String, String> compacted = Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(Limits.MAX_MESSAGE_BYTES),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                minIsr);
        Map<String, String> plain = Map.of(
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(Limits.MAX_MESSAGE_BYTES),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                minIsr);
        short rf = (short) replication.factor();
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(tasks(), taskPartitions, rf).configs(plain));
        topics.add(new NewTopic(pieces(), PARTITIONS, rf).configs(plain));
        // running pieces' progress reports go here too: segments roll hourly so that compaction keeps what a reader of
        // the whole topic (status, a starting worker) goes through short
        Map<String, String> jobsConfig = new java.util.HashMap<>(compacted);
        jobsConfig.put(
                TopicConfig.SEGMENT_MS_CONFIG,
                Long.toString(java.time.Duration.ofHours(1).toMillis()));
        topics.add(new NewTopic(jobs(), PARTITIONS, rf).configs(jobsConfig));
        topics.add(new NewTopic(results(), PARTITIONS, rf).configs(compacted));
        topics.add(new NewTopic(dlq(), 1, rf).configs(plain));
        // one copy of each bundle is kept (compaction); one not shipped again for CODE_RETENTION goes
        topics.add(new NewTopic(code(), 1, rf)
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(CODE_RETENTION.toMillis()),
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        Integer.toString(Limits.MAX_MESSAGE_BYTES),
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                        minIsr)));
        // the latest state of each running piece: a resumed piece reads its partition from the start, so segments roll
        // every 10 minutes and are compacted soon after, and tombstones go 10 minutes after the piece's end
        Map<String, String> checkpointsConfig = new java.util.HashMap<>(compacted);
        checkpointsConfig.put(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(CHECKPOINT_SEGMENT.toMillis()));
        checkpointsConfig.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(CHECKPOINT_SEGMENT.toMillis()));
        checkpointsConfig.put(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1");
        topics.add(new NewTopic(checkpoints(), PARTITIONS, rf).configs(checkpointsConfig));
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
                describeWhenVisible(admin, missing.stream().map(NewTopic::name).toList());
            }
            warnIfUnderReplicated(admin, existing, replication);
            if (existing.contains(tasks()) && taskPartitions > 1) {
                growTasks(admin);
            }
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, workerGroup());
            admin.incrementalAlterConfigs(Map.of(
                            group,
                            List.of(
                                    new AlterConfigOp(
                                            new ConfigEntry("share.auto.offset.reset", "earliest"),
                                            AlterConfigOp.OpType.SET),
                                    // a job's tasks are published in one transaction: never hand out those of an
                                    // aborted one
                                    new AlterConfigOp(
                                            new ConfigEntry("share.isolation.level", "read_committed"),
                                            AlterConfigOp.OpType.SET),
                                    // workers renew the lock of pieces that run longer than it (KIP-1222)
                                    new AlterConfigOp(
                                            new ConfigEntry("share.renew.acknowledge.enable", "true"),
                                            AlterConfigOp.OpType.SET),
                                    // the one delivery limit: workers give up on a piece at the attempt that reaches it
                                    new AlterConfigOp(
                                            new ConfigEntry(
                                                    "share.delivery.count.limit", Integer.toString(deliveryLimit)),
                                            AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            return replication;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot create binfleet's topics: " + (e.getCause() == null ? e : e.getCause()), e);
        }
    }
}
