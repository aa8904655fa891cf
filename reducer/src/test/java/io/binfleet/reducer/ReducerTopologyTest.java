package io.binfleet.reducer;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceProgress;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.seed.Seeds;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.Plan;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.PieceContext;
import io.binfleet.core.spi.Series;
import io.binfleet.kafka.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The reducer topology on Kafka Streams' TopologyTestDriver. */
class ReducerTopologyTest {
    private static final Topics TOPICS = Topics.defaults();
    private static final Duration STALL = Duration.ofSeconds(60);

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> jobsIn;
    private TestInputTopic<String, byte[]> piecesIn;
    private TestOutputTopic<String, byte[]> jobsOut;
    private TestOutputTopic<String, byte[]> resultsOut;
    private TestOutputTopic<String, byte[]> dlqOut;
    private final List<JobResult> written = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "reducer-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory("reducer-test").toString());
        driver = new TopologyTestDriver(ReducerTopology.build(TOPICS, SpecParser.builtin(), STALL, written::add), p);
        jobsIn = driver.createInputTopic(TOPICS.jobs(), new StringSerializer(), new ByteArraySerializer());
        piecesIn = driver.createInputTopic(TOPICS.pieces(), new StringSerializer(), new ByteArraySerializer());
        jobsOut = driver.createOutputTopic(TOPICS.jobs(), new StringDeserializer(), new ByteArrayDeserializer());
        resultsOut = driver.createOutputTopic(TOPICS.results(), new StringDeserializer(), new ByteArrayDeserializer());
        dlqOut = driver.createOutputTopic(TOPICS.dlq(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    private static JobSpec spec(int pieces) {
        return SpecParser.builtin()
                .parse("{\"name\": \"t\", \"system\": {\"Synthetic\": {\"points\": 5}}, \"parallel\": "
                        + "{\"split\": \"replicas\", \"count\": " + pieces
                        + "}, \"simulation\": {\"name\": \"synthetic\", \"seed\": 3}}");
    }

    /** Runs every piece of {@code spec} in-process, as a worker would. */
    private static List<PieceResult> run(JobSpec spec, String jobId) throws Exception {
        List<PieceResult> out = new ArrayList<>();
        for (TaskMessage t : Plan.tasks(spec, jobId)) {
            var output = spec.simulation().run(PieceContext.of(t.toJson()), Seeds.generator(t.seed()));
            out.add(PieceResult.ok(jobId, t.piece(), t.pieces(), t.seed(), "w", 0.01, 1, output, 1L));
        }
        return out;
    }

    private void submit(String jobId, JobSpec spec) {
        jobsIn.pipeInput(
                jobId,
                Codec.write(JobEvent.submitted(
                        jobId, spec.name(), spec.split().pieces().size(), spec.toJson(), 1L)));
    }

    private void send(PieceResult r) {
        piecesIn.pipeInput(r.jobId(), Codec.write(r));
    }

    /** The job events sent (not the tombstones of pieces' progress keys, {@code jobId/piece}). */
    private List<JobEvent> events() {
        return jobsOut.readKeyValuesToList().stream()
                .filter(kv -> !PieceProgress.isPieceKey(kv.key))
                .map(kv -> Codec.read(kv.value, JobEvent.class))
                .toList();
    }

    @Test
    void sixteenPieces_mergeToTheInProcessMerge_andDone() throws Exception {
        JobSpec spec = spec(16);
        submit("job-1", spec);
        List<PieceResult> pieces = run(spec, "job-1");
        pieces.forEach(this::send);
        List<JobEvent> events = events();
        assertThat(events).last().satisfies(e -> {
            assertThat(e.state()).isEqualTo(JobEvent.State.DONE);
            assertThat(e.done()).isEqualTo(16);
        });
        // all 16 arrive at one instant (the driver's clock stands still): the first piece is reported, then DONE
        assertThat(events)
                .filteredOn(e -> e.state() == JobEvent.State.RUNNING)
                .extracting(JobEvent::done)
                .containsExactly(1);
        List<byte[]> results = resultsOut.readValuesToList();
        assertThat(results).hasSize(1);
        JobResult result = Codec.read(results.get(0), JobResult.class);
        Series expected = spec.merge()
                .merge(pieces.stream()
                        .map(r -> new Piece(r.piece(), r.output()))
                        .toList());
        assertThat(result.y())
                .containsExactly(Arrays.stream(expected.y()).boxed().toArray(Double[]::new));
        assertThat(result.pieces()).hasSize(16);
        assertThat(result.specSha256()).hasSize(64);
        assertThat(written).containsExactly(result);
    }

    @Test
    void aPiecePublishedTwice_isCountedOnce() throws Exception {
        JobSpec spec = spec(3);
        submit("job-2", spec);
        List<PieceResult> pieces = run(spec, "job-2");
        send(pieces.get(0));
        send(pieces.get(0));
        driver.advanceWallClockTime(JobBook.PROGRESS_EVERY); // so that the second piece's progress is published too
        send(pieces.get(1));
        send(pieces.get(1));
        assertThat(events()).extracting(JobEvent::done).containsExactly(1, 2);
        send(pieces.get(2));
        send(pieces.get(2));
        assertThat(events()).extracting(JobEvent::state).containsExactly(JobEvent.State.DONE);
        assertThat(resultsOut.readValuesToList()).hasSize(1);
    }

    @Test
    void piecesBeforeTheirSubmittedEvent_areKept() throws Exception {
        JobSpec spec = spec(2);
        List<PieceResult> pieces = run(spec, "job-3");
        pieces.forEach(this::send);
        submit("job-3", spec);
        assertThat(events()).last().extracting(JobEvent::state).isEqualTo(JobEvent.State.DONE);
    }

    @Test
    void aFailedPiece_failsTheJobWithItsReason() throws Exception {
        JobSpec spec = spec(4);
        submit("job-4", spec);
        send(run(spec, "job-4").get(0));
        send(PieceResult.failed("job-4", 3, 4, 9L, "w", 0.1, 5, "boom", 1L));
        assertThat(events()).last().satisfies(e -> {
            assertThat(e.state()).isEqualTo(JobEvent.State.FAILED);
            assertThat(e.reason()).isEqualTo("piece 3 failed: boom");
        });
        // the piece that finished is kept: a partial result, missing the others
        assertThat(resultsOut.readValuesToList()).singleElement().satisfies(bytes -> {
            JobResult partial = Codec.read(bytes, JobResult.class);
            assertThat(partial.status()).isEqualTo("FAILED");
            assertThat(partial.partial()).isTrue();
            assertThat(partial.missing()).containsExactly(1, 2, 3);
        });
    }

    @Test
    void noProgressForTheStallTimeout_failsAsStalled_namingTheMissingPieces() throws Exception {
        JobSpec spec = spec(16);
        submit("job-5", spec);
        List<PieceResult> pieces = run(spec, "job-5");
        send(pieces.get(0));
        send(pieces.get(1));
        send(pieces.get(7));
        driver.advanceWallClockTime(STALL.plusSeconds(2));
        assertThat(events()).last().satisfies(e -> {
            assertThat(e.state()).isEqualTo(JobEvent.State.FAILED);
            assertThat(e.reason()).isEqualTo("STALLED: no progress for 60 s; missing pieces: 2-6, 8-15");
        });
    }

    @Test
    void garbage_goesToTheDlq_andTheNextJobStillCompletes() throws Exception {
        piecesIn.pipeInput("x", new byte[] {1, 2, 3});
        jobsIn.pipeInput("y", "{\"v\": 1}".getBytes());
        piecesIn.pipeInput(new TestRecord<>(null, new byte[] {4}));
        List<TestRecord<String, byte[]>> dlq = dlqOut.readRecordsToList();
        assertThat(dlq).hasSize(3);
        assertThat(new String(dlq.get(0).headers().lastHeader("binfleet.error").value()))
                .startsWith("unreadable piece result: ");
        JobSpec spec = spec(2);
        submit("job-6", spec);
        run(spec, "job-6").forEach(this::send);
        assertThat(events()).last().extracting(JobEvent::state).isEqualTo(JobEvent.State.DONE);
    }

    @Test
    void progressIsPublished_atMostEveryHundredMilliseconds() throws Exception {
        JobSpec spec = spec(16);
        submit("job-p", spec);
        for (PieceResult piece : run(spec, "job-p")) {
            send(piece);
            driver.advanceWallClockTime(Duration.ofMillis(60));
        }
        List<JobEvent> events = events();
        assertThat(events)
                .filteredOn(e -> e.state() == JobEvent.State.RUNNING)
                .extracting(JobEvent::done)
                .containsExactly(1, 3, 5, 7, 9, 11, 13, 15);
        assertThat(events).last().extracting(JobEvent::state).isEqualTo(JobEvent.State.DONE);
    }

    @Test
    void cancel_endsTheJob_andLaterPiecesAreIgnored() throws Exception {
        JobSpec spec = spec(3);
        submit("job-7", spec);
        List<PieceResult> pieces = run(spec, "job-7");
        send(pieces.get(0));
        jobsIn.pipeInput(
                "job-7",
                Codec.write(new JobEvent(1, "job-7", null, JobEvent.State.CANCELLED, 0, 0, "by user", null, 0, 2)));
        send(pieces.get(1));
        send(pieces.get(2));
        assertThat(events()).extracting(JobEvent::state).containsExactly(JobEvent.State.RUNNING);
        assertThat(resultsOut.readValuesToList()).singleElement().satisfies(bytes -> {
            JobResult partial = Codec.read(bytes, JobResult.class);
            assertThat(partial.status()).isEqualTo("CANCELLED");
            assertThat(partial.missing()).containsExactly(1, 2);
        });
    }
}
