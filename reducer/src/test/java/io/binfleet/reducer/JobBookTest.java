package io.binfleet.reducer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.message.Schema;
import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.kafka.DeadLetter;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The job state machine on in-memory stores: no broker, no Kafka Streams. */
class JobBookTest {
    private static final SpecParser PARSER = SpecParser.builtin();
    private final MemoryJobs jobs = new MemoryJobs();
    private final MemoryPieces pieces = new MemoryPieces();
    private final Recorded out = new Recorded();
    private final List<JobResult> written = new ArrayList<>();
    private JobBook book;

    @BeforeEach
    void setUp() {
        book = new JobBook(
                jobs,
                pieces,
                out,
                PARSER,
                new StallCheck(Duration.ofSeconds(60)),
                ReducerMetrics.none(),
                written::add,
                "0_0");
    }

    private static ObjectNode spec(int count) {
        JobSpec spec = PARSER.parse(
                "{\"name\": \"t\", \"system\": {\"Synthetic\": {\"points\": 3}}, \"parallel\": {\"split\": "
                        + "\"replicas\", \"count\": " + count
                        + "}, \"simulation\": {\"name\": \"synthetic\", \"seed\": 1}, "
                        + "\"merge\": {\"method\": \"mean\"}}");
        return spec.toJson();
    }

    private void submit(String jobId, int count, long at) {
        book.submitted(JobEvent.submitted(jobId, "t", count, spec(count), at), at);
    }

    private static PieceResult ok(String jobId, int index, int total, double value) {
        return PieceResult.ok(
                jobId,
                index,
                total,
                7,
                "w",
                0.1,
                1,
                new PieceOutput(new double[] {0, 1, 2}, new double[] {value, value, value}),
                1L);
    }

    private void piece(PieceResult p, long at) {
        book.piece(p, Codec.write(p), at);
    }

    @Test
    void piecesArrive_progressIsThrottled_andTheLastOneMergesToDone() {
        submit("j", 3, 0);
        piece(ok("j", 0, 3, 1), 1_000);
        piece(ok("j", 1, 3, 2), 1_050); // within PROGRESS_EVERY of the last report: not published
        piece(ok("j", 2, 3, 6), 1_060);
        assertThat(out.events)
                .extracting(JobEvent::state, JobEvent::done)
                .containsExactly(Tuple.tuple(JobEvent.State.RUNNING, 1), Tuple.tuple(JobEvent.State.DONE, 3));
        assertThat(out.results).singleElement().satisfies(r -> assertThat(r.y()).containsExactly(3.0, 3.0, 3.0));
        assertThat(out.commits).isEqualTo(1);
        assertThat(written).isEqualTo(out.results);
        assertThat(jobs.get("j").state()).isEqualTo(JobEvent.State.DONE);
        assertThat(pieces.count("j")).isZero();
        assertThat(jobs.specs).doesNotContainKey("j");
    }

    @Test
    void progressHeldBackByTheThrottle_goesOutWithTheNextCheck_soCountsNeverStayBehind() {
        submit("j", 4, 0);
        piece(ok("j", 0, 4, 1), 1_000);
        piece(ok("j", 1, 4, 2), 1_050); // held back
        book.checkStalled(1_060); // still within the throttle: nothing yet
        assertThat(out.events).extracting(JobEvent::done).containsExactly(1);
        book.checkStalled(1_100);
        assertThat(out.events)
                .extracting(JobEvent::state, JobEvent::done)
                .containsExactly(Tuple.tuple(JobEvent.State.RUNNING, 1), Tuple.tuple(JobEvent.State.RUNNING, 2));
        book.checkStalled(5_000); // nothing new: nothing sent
        assertThat(out.events).hasSize(2);
    }

    @Test
    void theSpecIsWrittenOnce_notPerPiece() {
        submit("j", 4, 0);
        for (int i = 0; i < 4; i++) {
            piece(ok("j", i, 4, i), 1_000 * (i + 1));
        }
        assertThat(jobs.specWrites).isEqualTo(1);
        assertThat(jobs.stateWrites).isEqualTo(5); // submitted, three RUNNING, DONE
    }

    @Test
    void aDuplicatePiece_isCountedOnce() {
        submit("j", 3, 0);
        piece(ok("j", 0, 3, 1), 1_000);
        piece(ok("j", 0, 3, 1), 2_000);
        piece(ok("j", 1, 3, 1), 3_000);
        assertThat(out.events).extracting(JobEvent::done).containsExactly(1, 2);
        assertThat(jobs.get("j").done()).isEqualTo(2);
        // the piece that came twice says it ran twice, the others once
        piece(ok("j", 2, 3, 1), 4_000);
        assertThat(out.results)
                .singleElement()
                .satisfies(r -> assertThat(r.pieces())
                        .extracting(JobResult.PieceInfo::runs)
                        .containsExactly(2, 1, 1));
    }

    @Test
    void piecesBeforeTheirSubmittedEvent_countOnceItArrives() {
        piece(ok("j", 1, 2, 1), 500);
        assertThat(out.events).isEmpty();
        submit("j", 2, 600);
        assertThat(jobs.get("j").done()).isEqualTo(1);
        piece(ok("j", 0, 2, 3), 1_000);
        assertThat(out.results).singleElement().satisfies(r -> assertThat(r.y()).containsExactly(2.0, 2.0, 2.0));
    }

    @Test
    void aFailedPiece_failsTheJob_andLaterPiecesAreIgnored() {
        submit("j", 3, 0);
        piece(PieceResult.failed("j", 1, 3, 7, "w", 0.1, 5, "boom", 1L), 1_000);
        piece(ok("j", 0, 3, 1), 2_000);
        assertThat(out.events).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(JobEvent.State.FAILED);
            assertThat(e.reason()).isEqualTo("piece 1 failed: boom");
        });
        assertThat(pieces.count("j")).isZero();
        assertThat(out.results).isEmpty();
    }

    @Test
    void aFailedJob_keepsThePiecesItFinished_asAPartialResult() {
        submit("j", 3, 0);
        piece(ok("j", 0, 3, 4), 1_000);
        piece(PieceResult.failed("j", 1, 3, 7, "w", 0.1, 3, "boom", 1L), 2_000);
        assertThat(out.results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("FAILED");
            assertThat(r.partial()).isTrue();
            assertThat(r.missing()).containsExactly(1, 2);
            assertThat(r.y()).containsExactly(4.0, 4.0, 4.0);
            assertThat(r.pieces()).extracting(JobResult.PieceInfo::index).containsExactly(0);
        });
        assertThat(written).isEqualTo(out.results);
        assertThat(out.events).last().satisfies(e -> assertThat(e.state()).isEqualTo(JobEvent.State.FAILED));
    }

    @Test
    void aCancelledJob_endsCancelled_dropsItsPieces_andKeepsAPartialResult() {
        submit("j", 2, 0);
        piece(ok("j", 0, 2, 1), 1_000);
        book.cancelled(
                new JobEvent(Schema.VERSION, "j", "t", JobEvent.State.CANCELLED, 1, 2, "by user", null, 0, 1_500));
        piece(ok("j", 1, 2, 1), 2_000);
        assertThat(jobs.get("j").state()).isEqualTo(JobEvent.State.CANCELLED);
        assertThat(jobs.get("j").reason()).isEqualTo("by user");
        assertThat(pieces.count("j")).isZero();
        assertThat(out.results).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("CANCELLED");
            assertThat(r.partial()).isTrue();
            assertThat(r.missing()).containsExactly(1);
        });
        // a second cancel, or one of an unknown job, changes nothing
        book.cancelled(new JobEvent(Schema.VERSION, "j", "t", JobEvent.State.CANCELLED, 1, 2, "again", null, 0, 3_000));
        book.cancelled(new JobEvent(Schema.VERSION, "nope", "t", JobEvent.State.CANCELLED, 0, 0, "x", null, 0, 3_000));
        assertThat(jobs.get("j").reason()).isEqualTo("by user");
        assertThat(jobs.get("nope")).isNull();
    }

    @Test
    void aReplayedSubmittedEvent_changesNothing() {
        submit("j", 2, 0);
        piece(ok("j", 0, 2, 1), 1_000);
        submit("j", 2, 5_000);
        assertThat(jobs.get("j").done()).isEqualTo(1);
        assertThat(jobs.specWrites).isEqualTo(1);
    }

    @Test
    void aPieceOutsideItsJob_goesToTheDeadLetters() {
        submit("j", 2, 0);
        piece(ok("j", 5, 6, 1), 1_000); // a piece of another plan of the job
        assertThat(out.letters).singleElement().satisfies(l -> {
            assertThat(l.error()).isEqualTo("piece 5 is not in 0..1");
            assertThat(l.source()).isEqualTo("reducer");
            assertThat(l.key()).isEqualTo("j");
        });
        assertThat(jobs.get("j").done()).isZero();
    }

    @Test
    void aJobWithoutProgressForTheStallTimeout_failsAsStalled_namingTheMissingPieces() {
        submit("quiet", 4, 0);
        piece(ok("quiet", 2, 4, 1), 1_000);
        submit("busy", 2, 30_000);
        book.checkStalled(60_500);
        assertThat(out.events).extracting(JobEvent::state).doesNotContain(JobEvent.State.FAILED);
        piece(ok("busy", 0, 2, 1), 60_000);
        book.checkStalled(61_001);
        assertThat(out.events)
                .filteredOn(e -> e.state() == JobEvent.State.FAILED)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.jobId()).isEqualTo("quiet");
                    assertThat(e.reason()).isEqualTo("STALLED: no progress for 60 s; missing pieces: 0-1, 3");
                });
        assertThat(jobs.get("busy").state()).isEqualTo(JobEvent.State.RUNNING);
    }

    @Test
    void runningPiecesThatReport_keepTheirJobAlive_pastTheStallTimeout_withNoPieceIn() {
        // two pieces of 100 s each on a 60 s stall timeout: none is in before minute 1, but both report
        submit("long", 2, 0);
        for (long t = 5_000; t <= 100_000; t += 5_000) {
            book.alive("long", t);
            book.checkStalled(t + 1);
        }
        assertThat(out.events).extracting(JobEvent::state).doesNotContain(JobEvent.State.FAILED);
        // then they fall silent (their worker died): the stall clock runs from their last report
        book.checkStalled(160_000);
        assertThat(out.events).extracting(JobEvent::state).doesNotContain(JobEvent.State.FAILED);
        book.checkStalled(160_002);
        assertThat(out.events).last().satisfies(e -> {
            assertThat(e.state()).isEqualTo(JobEvent.State.FAILED);
            assertThat(e.reason()).startsWith("STALLED");
        });
        // a report after the end changes nothing
        book.alive("long", 170_000);
        assertThat(jobs.get("long").state()).isEqualTo(JobEvent.State.FAILED);
    }

    @Test
    void aJobThatEndsUnfinished_removesWhatItsMissingPiecesLeft_aDoneJobNothing() {
        submit("c", 3, 0);
        piece(ok("c", 1, 3, 1), 1_000);
        book.cancelled(
                new JobEvent(Schema.VERSION, "c", "t", JobEvent.State.CANCELLED, 0, 0, "by user", null, 0, 2_000));
        assertThat(out.forgotten).containsExactly("c/0", "c/2");
        submit("d", 2, 0);
        piece(ok("d", 0, 2, 1), 1_000);
        piece(ok("d", 1, 2, 1), 2_000);
        assertThat(out.forgotten).containsExactly("c/0", "c/2");
    }

    @Test
    void aMergeThatFails_failsTheJobWithTheReason() {
        submit("j", 2, 0);
        jobs.specs.put("j", (ObjectNode) Codec.readTree("{\"name\": \"t\"}")); // a stored spec that no longer parses
        piece(ok("j", 0, 2, 1), 1_000);
        piece(ok("j", 1, 2, 1), 2_000);
        assertThat(out.events).last().satisfies(e -> {
            assertThat(e.state()).isEqualTo(JobEvent.State.FAILED);
            assertThat(e.reason()).startsWith("merge failed: ");
        });
        assertThat(out.results).isEmpty();
    }

    /** Job states and specs in memory, counting writes. */
    static final class MemoryJobs implements JobStore {
        final Map<String, JobState> states = new HashMap<>();
        final Map<String, ObjectNode> specs = new HashMap<>();
        int specWrites;
        int stateWrites;

        @Override
        public JobState get(String jobId) {
            return states.get(jobId);
        }

        @Override
        public void put(JobState state) {
            stateWrites++;
            states.put(state.jobId(), state);
        }

        @Override
        public ObjectNode spec(String jobId) {
            return specs.get(jobId);
        }

        @Override
        public void putSpec(String jobId, ObjectNode spec) {
            specWrites++;
            specs.put(jobId, spec);
        }

        @Override
        public void deleteSpec(String jobId) {
            specs.remove(jobId);
        }

        @Override
        public List<JobState> running() {
            return states.values().stream()
                    .filter(s -> !s.terminal())
                    .sorted((a, b) -> a.jobId().compareTo(b.jobId()))
                    .toList();
        }
    }

    /** Pieces in memory, by job and index. */
    static final class MemoryPieces implements PieceStore {
        final Map<String, TreeMap<Integer, byte[]>> byJob = new HashMap<>();

        @Override
        public boolean contains(String jobId, int index) {
            return byJob.getOrDefault(jobId, new TreeMap<>()).containsKey(index);
        }

        @Override
        public void put(String jobId, int index, byte[] piece) {
            byJob.computeIfAbsent(jobId, k -> new TreeMap<>()).put(index, piece);
        }

        @Override
        public PieceResult get(String jobId, int index) {
            byte[] b = byJob.getOrDefault(jobId, new TreeMap<>()).get(index);
            return b == null ? null : Codec.read(b, PieceResult.class);
        }

        @Override
        public void delete(String jobId, int index) {
            byJob.getOrDefault(jobId, new TreeMap<>()).remove(index);
        }

        @Override
        public int count(String jobId) {
            return byJob.getOrDefault(jobId, new TreeMap<>()).size();
        }

        @Override
        public List<PieceResult> load(String jobId) {
            return byJob.getOrDefault(jobId, new TreeMap<>()).values().stream()
                    .map(b -> Codec.read(b, PieceResult.class))
                    .toList();
        }

        @Override
        public void deleteAll(String jobId) {
            byJob.remove(jobId);
        }
    }

    /** What the book sent. */
    static final class Recorded implements JobOutputs {
        final List<JobEvent> events = new ArrayList<>();
        final List<JobResult> results = new ArrayList<>();
        final List<DeadLetter> letters = new ArrayList<>();
        final List<String> forgotten = new ArrayList<>();
        int commits;

        @Override
        public void forget(String jobId, int piece) {
            forgotten.add(jobId + "/" + piece);
        }

        @Override
        public void event(JobEvent event) {
            events.add(event);
        }

        @Override
        public void result(JobResult result) {
            results.add(result);
        }

        @Override
        public void deadLetter(DeadLetter letter) {
            letters.add(letter);
        }

        @Override
        public void commit() {
            commits++;
        }
    }
}
