package io.binfleet.core.split;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.TestSystem;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spec.Problems;
import io.binfleet.core.spi.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EnergyWindowsSplitTest {
    private final TestSystem.Levels levels = new TestSystem.Levels(17, 1); // levels 0..16

    private Split split(String json, Problems problems) {
        return new EnergyWindowsSplit().configure(Params.of(Codec.readTree(json), "parallel", problems), levels);
    }

    private static List<String> windows(Split s) {
        return s.pieces().stream().map(ObjectNode::toString).toList();
    }

    @Test
    void fourBins_halfExtended_snapOutwardToLevels() {
        Problems problems = new Problems();
        // bins [0,4] [4,8] [8,12] [12,16], k = 0.5 → [0,6] [2,10] [6,14] [10,16]
        Split s = split("{\"bins\": 4, \"extend\": 0.5}", problems);
        assertThat(problems.all()).isEmpty();
        assertThat(windows(s))
                .containsExactly(
                        "{\"window\":[0,6]}", "{\"window\":[2,10]}", "{\"window\":[6,14]}", "{\"window\":[10,16]}");
    }

    @Test
    void fractionalEdges_areSnappedOutward() {
        Problems problems = new Problems();
        // bins of width 16/3: [0,5.33] [5.33,10.67] [10.67,16]; k = 0.3 adds 1.6 → [0,6.93] [3.73,12.27] [9.07,16]
        Split s = split("{\"bins\": 3, \"extend\": 0.3}", problems);
        assertThat(problems.all()).isEmpty();
        assertThat(windows(s)).containsExactly("{\"window\":[0,7]}", "{\"window\":[3,13]}", "{\"window\":[9,16]}");
    }

    @Test
    void explicitEdges_areUsedAsGiven() {
        Problems problems = new Problems();
        // bins [0,2] [2,10] [10,16], k = 0.25 → [0, 4] [1.5, 11.5] [8, 16] → snapped [0,4] [1,12] [8,16]
        Split s = split("{\"bins\": [0, 2, 10, 16], \"extend\": 0.25}", problems);
        assertThat(problems.all()).isEmpty();
        assertThat(windows(s)).containsExactly("{\"window\":[0,4]}", "{\"window\":[1,12]}", "{\"window\":[8,16]}");
        assertThat(s.params().toString()).isEqualTo("{\"bins\":[0,2,10,16],\"extend\":0.25}");
    }

    @Test
    void noExtension_leavesNeighboursOneLevel_andIsRefused() {
        Problems problems = new Problems();
        split("{\"bins\": 4, \"extend\": 0}", problems);
        assertThat(problems.all())
                .containsExactly("parallel.extend: windows 0 [0, 4] and 1 [4, 8] share 1 level; "
                        + "neighbours must share at least 2 (raise extend or use fewer bins)");
    }

    @Test
    void oneBin_isTheWholeRange() {
        Problems problems = new Problems();
        Split s = split("{\"bins\": 1}", problems);
        assertThat(windows(s)).containsExactly("{\"window\":[0,16]}");
    }

    /** A result.json of an earlier job on these levels: 1 s per level up to 8, 3 s per level above. */
    private Path earlierResult(Path dir, String system) throws Exception {
        Path file = dir.resolve("prev").resolve("result.json");
        Files.createDirectories(file.getParent());
        Files.writeString(
                file,
                "{\"spec\": {\"system\": " + system + "}, \"pieces\": [{\"x\": [0, 8], \"seconds\": 9},"
                        + " {\"x\": [8, 16], \"seconds\": 27}]}");
        return file;
    }

    private Split split(String json, Problems problems, Path baseDir) {
        return new EnergyWindowsSplit()
                .configure(Params.of(Codec.readTree(json), "parallel", problems), levels, baseDir);
    }

    @Test
    void balanceFromAnEarlierResult_givesCheapLevelsWiderWindows_andPublishesItsEdges(@TempDir Path dir)
            throws Exception {
        earlierResult(dir, "{\"Levels\": {\"count\": 17, \"step\": 1.0}}");
        Problems problems = new Problems();
        String spec = "{\"bins\": {\"count\": 2, \"balance\": \"work\", \"from\": \"prev/result.json\"},"
                + " \"extend\": 0.5}";
        EnergyWindowsSplit.EnergyWindows s = (EnergyWindowsSplit.EnergyWindows) split(spec, problems, dir);
        assertThat(problems.all()).isEmpty();
        double[] lower = s.windows().get(0);
        double[] upper = s.windows().get(1);
        // equal widths would be [0, 12] and [4, 16]; the dear upper levels get fewer
        assertThat(upper[1] - upper[0]).isLessThan(lower[1] - lower[0]);
        assertThat(upper[1]).isEqualTo(16);
        // the published spec holds the edges: it reads the same where the file is not
        ObjectNode published = s.params();
        assertThat(published.path("bins").path("from").asText()).isEqualTo("prev/result.json");
        assertThat(published.path("bins").path("edges")).hasSize(3);
        Problems again = new Problems();
        Split reread = split(published.toString(), again, dir.resolve("elsewhere"));
        assertThat(again.all()).isEmpty();
        assertThat(windows(reread)).isEqualTo(windows(s));
    }

    @Test
    void balanceFrom_aMissingFile_aResultOfAnotherSystem_orWithoutBalance_isRefused(@TempDir Path dir)
            throws Exception {
        Problems missing = new Problems();
        split("{\"bins\": {\"count\": 2, \"balance\": \"work\", \"from\": \"none.json\"}}", missing, dir);
        assertThat(missing.all()).singleElement().asString().startsWith("parallel.bins.from: cannot read ");

        earlierResult(dir, "{\"Levels\": {\"count\": 33, \"step\": 1.0}}");
        Problems other = new Problems();
        split("{\"bins\": {\"count\": 2, \"balance\": \"work\", \"from\": \"prev/result.json\"}}", other, dir);
        assertThat(other.all())
                .singleElement()
                .asString()
                .startsWith("parallel.bins.from: ")
                .contains("is the result of a job on {\"Levels\":{\"count\":33");

        Problems uniform = new Problems();
        split("{\"bins\": {\"count\": 2, \"from\": \"prev/result.json\"}}", uniform, dir);
        assertThat(uniform.all()).singleElement().asString().startsWith("parallel.bins.from: balances the windows");
    }
}
