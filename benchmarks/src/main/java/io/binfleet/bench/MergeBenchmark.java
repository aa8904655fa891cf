package io.binfleet.bench;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.merge.AlignMerge;
import io.binfleet.core.merge.JoinMerge;
import io.binfleet.core.merge.SumMerge;
import io.binfleet.core.message.PieceResult;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spec.Problems;
import io.binfleet.core.spi.Merge;
import io.binfleet.core.spi.MergeType;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.PieceOutput;
import io.binfleet.core.spi.Series;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Merges at scale: 64 pieces of 100,000 points each, neighbours overlapping by a quarter of a piece (6.4 M points in,
 * 4.8 M out); and the codec on one 100,000-point piece result. Average time per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx4g"})
public class MergeBenchmark {
    static final int PIECES = 64;
    static final int POINTS = 100_000;

    private List<Piece> pieces;
    private Merge join;
    private Merge sum;
    private Merge align;
    private PieceResult result;
    private byte[] resultJson;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        pieces = new ArrayList<>();
        int step = POINTS * 3 / 4;
        for (int p = 0; p < PIECES; p++) {
            double[] x = new double[POINTS];
            double[] y = new double[POINTS];
            double shift = r.nextDouble() * 100;
            for (int k = 0; k < POINTS; k++) {
                x[k] = p * step + k;
                y[k] = Math.sin(x[k] * 1e-4) + shift;
            }
            pieces.add(new Piece(p, x, y));
        }
        join = merge(new JoinMerge(), "{\"at\": \"slope\"}");
        sum = merge(new SumMerge(), "{\"weights\": \"tukey\", \"alpha\": 0.5}");
        align = merge(new AlignMerge(), "{}");
        result = PieceResult.ok(
                "job",
                0,
                1,
                1,
                "w",
                1,
                1,
                new PieceOutput(pieces.get(0).x(), pieces.get(0).y()),
                1);
        resultJson = Codec.write(result);
    }

    private static Merge merge(MergeType type, String json) {
        Problems problems = new Problems();
        Merge m = type.configure(Params.of(Codec.readTree(json), "merge", problems), null);
        problems.throwIfAny();
        return m;
    }

    @Benchmark
    public Series join() {
        return join.merge(pieces);
    }

    @Benchmark
    public Series sum() {
        return sum.merge(pieces);
    }

    @Benchmark
    public Series align() {
        return align.merge(pieces);
    }

    @Benchmark
    public byte[] codecWrite() {
        return Codec.write(result);
    }

    @Benchmark
    public PieceResult codecRead() {
        return Codec.read(resultJson, PieceResult.class);
    }
}
