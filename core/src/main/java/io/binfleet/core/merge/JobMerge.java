package io.binfleet.core.merge;

import io.binfleet.core.spec.JobSpec;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;

import java.util.List;

/**
 * How a job's pieces become its result, the same wherever it is done (the reducer; tests that run a job in-process):
 * walkers combined with their error bars ({@link Walkers}), gaps taken out and put back ({@link Gaps}), the spec's
 * merge, and the mirror image of a split that ran only half of a symmetric range ({@link Symmetry}).
 */
public final class JobMerge {
    private JobMerge() {}

    /** The merged result of {@code spec}'s {@code pieces} (one per piece index, in any order). */
    public static Series of(JobSpec spec, List<Piece> pieces) {
        return withChains(spec, pieces).series();
    }

    /** The same, with each walker chain's own result (empty with one walker per window). */
    public static Walkers.Merged withChains(JobSpec spec, List<Piece> pieces) {
        Walkers.Merged merged =
                Walkers.mergeWithChains(spec.merge(), pieces, spec.split().walkers());
        if (!spec.split().mirrored()) {
            return merged;
        }
        return new Walkers.Merged(
                Symmetry.mirror(merged.series()),
                merged.chains().stream().map(Symmetry::mirror).toList());
    }
}
