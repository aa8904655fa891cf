package io.binfleet.core.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.message.CodeRef;
import io.binfleet.core.message.JobEvent;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.message.Schema;
import io.binfleet.core.message.TaskMessage;
import io.binfleet.core.spi.PieceOutput;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodecTest {
    private static final ObjectNode SYSTEM = (ObjectNode) Codec.readTree("{\"Ising2D\": {\"L\": 16, \"J\": 1.0}}");
    private static final ObjectNode SIM = (ObjectNode) Codec.readTree("{\"name\": \"wang-landau\", \"flatness\": 0.8}");

    private static <T> T roundTrip(T value, Class<T> type) {
        return Codec.read(Codec.write(value), type);
    }

    @Test
    void aTrailingComma_isNamedAsSuch_inTheObjectThatHasIt() {
        assertThatThrownBy(() ->
                        Codec.readTree("{\"name\": \"t\", \"simulation\": {\"name\": \"x\"},\n}".getBytes(), "spec"))
                .isInstanceOf(CodecException.class)
                .hasMessage("spec: a comma before '}' (line 2, column 1): JSON allows no trailing comma");
        assertThatThrownBy(() -> Codec.readTree("{\"simulation\": {\"name\": \"x\", \"seed\": 1,}}".getBytes(), "spec"))
                .isInstanceOf(CodecException.class)
                .hasMessage("simulation: a comma before '}' (line 1, column 40): JSON allows no trailing comma");
    }

    @Test
    void taskMessage_roundTrips() {
        TaskMessage t = new TaskMessage(
                Schema.VERSION,
                "job-1",
                2,
                8,
                SYSTEM,
                (ObjectNode) Codec.readTree("{\"window\": [-512, -200]}"),
                SIM,
                77L,
                1);
        assertThat(roundTrip(t, TaskMessage.class)).isEqualTo(t);
        TaskMessage noSeed = new TaskMessage(Schema.VERSION, "job-1", 0, 1, SYSTEM, Codec.object(), SIM, null, 3);
        assertThat(roundTrip(noSeed, TaskMessage.class)).isEqualTo(noSeed);
        TaskMessage withCode = noSeed.withCode(new CodeRef("ab".repeat(32), 0, 42));
        assertThat(roundTrip(withCode, TaskMessage.class)).isEqualTo(withCode);
        // what a simulation or a program sees has no code field: it runs in the code's folder
        assertThat(withCode.toJson().has("code")).isFalse();
        assertThatThrownBy(() -> new CodeRef("not-hex", 0, 0)).hasMessageContaining("64 lower-case hex digits");
    }

    @Test
    void taskJson_isTheDesignShape() {
        TaskMessage t = new TaskMessage(
                Schema.VERSION, "j", 0, 2, SYSTEM, Codec.object().put("replica", 0), SIM, 5L, 1);
        assertThat(t.toJson().toString())
                .isEqualTo("{\"jobId\":\"j\",\"piece\":0,\"pieces\":2,\"system\":{\"Ising2D\":"
                        + "{\"L\":16,\"J\":1.0}},\"args\":{\"replica\":0},\"simulation\":{\"name\":\"wang-landau\",\"flatness\":0.8},"
                        + "\"seed\":5,\"attempt\":1}");
    }

    @Test
    void pieceResult_roundTrips_okAndFailed() {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("C", new double[] {0.5, 0.25});
        PieceResult ok = PieceResult.ok(
                "job-1",
                1,
                4,
                -99L,
                "w1",
                1.5,
                2,
                new PieceOutput(new double[] {1, 2}, new double[] {3, 4}, new double[] {1, 0.5}, series),
                1_700_000_000_000L);
        assertThat(roundTrip(ok, PieceResult.class)).isEqualTo(ok);
        // gaps (NaN, and infinities, which become gaps) travel as null; meta as any JSON
        series.put("C", new double[] {Double.POSITIVE_INFINITY, 0.25});
        PieceResult gappy = PieceResult.ok(
                "job-1",
                1,
                4,
                -99L,
                "w1",
                1.5,
                2,
                new PieceOutput(
                        new double[] {1, 2},
                        new double[] {Double.NaN, 4},
                        null,
                        series,
                        Codec.readTree("{\"steps\": 12, \"m\": [[1, 0], [0, 1]]}")),
                1L);
        String json = Codec.writeString(gappy);
        assertThat(json)
                .contains("\"y\":[null,4.0]")
                .contains("\"C\":[null,0.25]")
                .contains("\"m\":[[1,0],[0,1]]");
        PieceResult back = Codec.read(json.getBytes(StandardCharsets.UTF_8), PieceResult.class);
        assertThat(back).isEqualTo(gappy);
        assertThat(back.output().gaps()).isEqualTo(2);
        PieceResult failed = PieceResult.failed("job-1", 3, 4, 1L, "w2", 0.1, 5, "boom", 1L);
        assertThat(roundTrip(failed, PieceResult.class)).isEqualTo(failed);
    }

    @Test
    void jobEvent_roundTrips() {
        JobEvent e = JobEvent.submitted("job-1", "demo", 8, (ObjectNode) Codec.readTree("{\"name\": \"demo\"}"), 10L);
        assertThat(roundTrip(e, JobEvent.class)).isEqualTo(e);
        JobEvent failed = e.next(JobEvent.State.FAILED, 3, "piece 4 failed: boom", 20L);
        assertThat(roundTrip(failed, JobEvent.class)).isEqualTo(failed);
    }

    @Test
    void jobResult_roundTrips_withGapsAsNull() {
        JobResult r = new JobResult(
                "job-1",
                "demo",
                "DONE",
                false,
                List.of(),
                "join",
                List.of(1.0, 2.0, 3.0),
                Arrays.asList(0.5, null, 1.5),
                Map.of("C", Arrays.asList(null, 1.0, 2.0)),
                List.of(
                        new JobResult.PieceInfo(0, 7L, "w1", 0.25, 1, List.of(1.0, 3.0)),
                        new JobResult.PieceInfo(
                                1,
                                8L,
                                "w1",
                                0.5,
                                2,
                                List.of(1.0, 3.0),
                                3,
                                Codec.readTree("{\"steps\": 1}"),
                                new PieceResult.Resumed(12.5, 0.625),
                                2)),
                List.of(new io.binfleet.core.spi.Boundary(List.of(0, 1), 2.0, 0.25, false)),
                Map.of("T", List.of(1.0, 2.0), "C", Arrays.asList(0.5, null)),
                (ObjectNode) Codec.readTree("{\"name\": \"demo\"}"),
                "ab12",
                1L,
                2L,
                1);
        String json = Codec.writeString(r);
        assertThat(json).contains("\"y\":[0.5,null,1.5]");
        // resumed only on the piece that resumed
        assertThat(json).contains("\"resumed\":{\"fromSeconds\":12.5,\"fromFraction\":0.625}");
        assertThat(json.indexOf("\"resumed\"")).isEqualTo(json.lastIndexOf("\"resumed\""));
        assertThat(Codec.read(json.getBytes(), JobResult.class)).isEqualTo(r);
    }

    @Test
    void unknownProperty_isRefused_namingIt() {
        String json =
                Codec.writeString(JobEvent.submitted("j", "n", 1, null, 1L)).replace("{", "{\"extra\":1,");
        assertThatThrownBy(() -> Codec.read(json.getBytes(), JobEvent.class))
                .isInstanceOf(CodecException.class)
                .hasMessageStartingWith("extra: Unrecognized field \"extra\"");
    }

    @Test
    void unknownSchemaVersion_isRefused() {
        String json =
                Codec.writeString(JobEvent.submitted("j", "n", 1, null, 1L)).replace("\"v\":1", "\"v\":9");
        assertThatThrownBy(() -> Codec.read(json.getBytes(), JobEvent.class))
                .hasMessageContaining("job event: unknown schema version 9 (this build reads 1)");
    }

    @Test
    void nanAndDuplicateKeys_areRefused_withThePath() {
        assertThatThrownBy(() -> Codec.readTree("{\"a\": {\"b\": NaN}}"))
                .hasMessage("a.b: NaN is not a JSON number (line 1, column 16)");
        assertThatThrownBy(() -> Codec.readTree("{\"a\": [1, {\"b\": 1, \"b\": 2}]}"))
                .hasMessage("a[1].b: duplicate key (line 1, column 23)");
    }

    @Test
    void missingRecordComponent_isRefused() {
        assertThatThrownBy(() -> Codec.read("{\"v\":1}".getBytes(), JobEvent.class))
                .isInstanceOf(CodecException.class);
    }

    @Test
    void deepNesting_isRefused() {
        String deep = "[".repeat(100) + "]".repeat(100);
        assertThatThrownBy(() -> Codec.readTree(deep)).hasMessage("spec: nested deeper than 64 levels");
    }
}
