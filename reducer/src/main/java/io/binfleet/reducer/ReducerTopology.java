package io.binfleet.reducer;

import io.binfleet.core.message.JobResult;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.kafka.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.function.Consumer;

/** The reducer's topology: job events and piece results in; job events, results and DLQ records out. */
public final class ReducerTopology {
    static final String JOB_STORE = "binfleet-jobs";
    static final String PIECE_STORE = "binfleet-pieces";
    static final String SPEC_STORE = "binfleet-specs";
    static final String JOBS_SINK = "jobs-out";
    static final String RESULTS_SINK = "results-out";
    static final String DLQ_SINK = "dlq-out";
    static final String CHECKPOINTS_SINK = "checkpoints-out";

    private ReducerTopology() {}

    /**
     * @param onResult called with every merged result after it is forwarded (e.g. to write files); it may be
     *                 called again for the same job if the task is reprocessed after a crash
     */
    public static Topology build(
            Topics topics, SpecParser parser, Duration stallTimeout, Consumer<JobResult> onResult) {
        return build(topics, parser, stallTimeout, onResult, ReducerMetrics.none());
    }

    static Topology build(
            Topics topics,
            SpecParser parser,
            Duration stallTimeout,
            Consumer<JobResult> onResult,
            ReducerMetrics metrics) {
        Topology t = new Topology();
        t.addSource(
                "pieces-in", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.pieces());
        t.addSource(
                "jobs-in", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.jobs());
        StallCheck stall = new StallCheck(stallTimeout);
        t.addProcessor(
                "tracker",
                () -> new ReducerProcessor(topics.pieces(), parser, stall, onResult, metrics),
                "pieces-in",
                "jobs-in");
        for (String store : new String[] {JOB_STORE, SPEC_STORE, PIECE_STORE}) {
            t.addStateStore(
                    Stores.keyValueStoreBuilder(
                            Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray()),
                    "tracker");
        }
        t.addSink(
                JOBS_SINK,
                topics.jobs(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer(),
                "tracker");
        t.addSink(
                RESULTS_SINK,
                topics.results(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer(),
                "tracker");
        t.addSink(
                CHECKPOINTS_SINK,
                topics.checkpoints(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer(),
                "tracker");
        t.addSink(
                DLQ_SINK,
                topics.dlq(),
                Serdes.String().serializer(),
                Serdes.ByteArray().serializer(),
                "tracker");
        return t;
    }
}
