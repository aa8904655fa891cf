package io.binfleet.core.split;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.TestSystem;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spec.Problems;
import io.binfleet.core.spi.Split;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GridAndReplicasSplitTest {
    private final TestSystem.Levels system = new TestSystem.Levels(2, 1);

    @Test
    void grid_pointsBelongToEveryExtendedBinContainingThem() {
        Problems problems = new Problems();
        // 9 points 1.0..3.0 step 0.25, bins [1,2] [2,3], k = 0.5 → [1, 2.5] [1.5, 3]
        Split s = new GridSplit()
                .configure(
                        Params.of(
                                Codec.readTree(
                                        "{\"param\": \"T\", \"from\": 1, \"to\": 3, \"points\": 9, \"bins\": 2, \"extend\": 0.5}"),
                                "parallel",
                                problems),
                        system);
        assertThat(problems.all()).isEmpty();
        assertThat(s.pieces().stream().map(ObjectNode::toString))
                .containsExactly(
                        "{\"param\":\"T\",\"values\":[1,1.25,1.5,1.75,2,2.25,2.5]}",
                        "{\"param\":\"T\",\"values\":[1.5,1.75,2,2.25,2.5,2.75,3]}");
    }

    @Test
    void grid_valuesAreDecimal_notAccumulatedFloatingPoint() {
        assertThat(GridSplit.values(1.5, 3.5, 21)).contains(1.8, 2.3, 3.1);
    }

    @Test
    void grid_binWithNoPoint_isRefused() {
        Problems problems = new Problems();
        new GridSplit()
                .configure(
                        Params.of(
                                Codec.readTree(
                                        "{\"param\": \"T\", \"from\": 0, \"to\": 1, \"points\": 2, \"bins\": 4, \"extend\": 0}"),
                                "parallel",
                                problems),
                        system);
        assertThat(problems.all())
                .containsExactly("parallel.bins: bin 1 [0.25, 0.5] holds no grid point; use fewer bins or more points");
    }

    @Test
    void replicas_giveOnePiecePerReplica() {
        Problems problems = new Problems();
        Split s = new ReplicasSplit()
                .configure(Params.of(Codec.readTree("{\"count\": 3}"), "parallel", problems), system);
        assertThat(s.pieces().stream().map(ObjectNode::toString))
                .containsExactly("{\"replica\":0}", "{\"replica\":1}", "{\"replica\":2}");
    }
}
