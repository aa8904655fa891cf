package io.binfleet.core.spi;

import io.binfleet.core.spec.Problems;
import io.binfleet.core.split.EnergyWindowsSplit;
import io.binfleet.core.split.GridSplit;
import io.binfleet.core.split.ReplicasSplit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryTest {
    private final Registry<SplitType> splits =
            Registry.of("split", new EnergyWindowsSplit(), new GridSplit(), new ReplicasSplit());

    @Test
    void aNearMiss_isSuggested() {
        assertThat(splits.nearest("replica")).contains("replicas");
        assertThat(splits.nearest("Grid")).contains("grid");
        assertThat(splits.nearest("energy_windows")).contains("energy-windows");
        assertThat(splits.nearest("enrgy-windos")).contains("energy-windows");
    }

    @Test
    void aNameFarFromEveryOne_getsNoSuggestion() {
        assertThat(splits.nearest("slices")).isEmpty();
        assertThat(splits.nearest("gird")).isEmpty(); // two edits on a short name
        assertThat(splits.nearest("")).isEmpty();
    }

    @Test
    void theProblem_listsTheRegisteredNames_andTheSuggestion() {
        Problems problems = new Problems();
        assertThat(splits.require("replica", "parallel.split", problems)).isNull();
        assertThat(problems.all())
                .containsExactly("parallel.split: unknown split \"replica\" (registered: energy-windows, grid,"
                        + " replicas); did you mean \"replicas\"?");
    }

    @Test
    void distance_isTheLevenshteinDistance() {
        assertThat(Registry.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Registry.distance("", "abc")).isEqualTo(3);
        assertThat(Registry.distance("abc", "abc")).isZero();
    }
}
