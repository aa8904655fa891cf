package io.binfleet.core.split;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.TestSystem;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spec.Problems;
import io.binfleet.core.spi.Split;
import org.junit.jupiter.api.Test;

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
}
