package io.binfleet.bench;

import io.binfleet.core.seed.Seeds;
import io.binfleet.simulations.ising.IsingLattice;
import io.binfleet.simulations.ising.Metropolis;
import io.binfleet.simulations.ising.WangLandau;
import io.binfleet.simulations.rng.Xoshiro256;
import org.openjdk.jmh.Main;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Attempted spin flips per second of the Wang-Landau kernel on one core, over the whole energy range of an L×L
 * lattice whose ln g has first been brought close to converged (so acceptance is realistic, not the all-accepted
 * first sweeps). Score: operations = attempted flips.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WangLandauKernelBenchmark {
    static final int STEPS = 1_000_000;

    @Param({"32"})
    int L;

    private WangLandau wl;
    private Xoshiro256 rng;

    @Setup
    public void setUp() {
        IsingLattice lattice = new IsingLattice(L);
        wl = new WangLandau(lattice, 0, L * L);
        rng = new Xoshiro256(Seeds.generator(1));
        wl.run(rng, false, 0.8, 1, 1e-3, 50_000_000L * L * L / 1024, () -> false, f -> {});
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public void wangLandauFlips() {
        wl.sweep(rng, STEPS, 1e-8);
    }

    /** Metropolis at T = 2.269 (critical), one sweep of L² attempted flips per invocation. */
    @State(Scope.Thread)
    public static class MetropolisState {
        Metropolis m;
        Xoshiro256 rng;

        @Setup
        public void setUp() {
            m = new Metropolis(new IsingLattice(32));
            rng = new Xoshiro256(Seeds.generator(2));
            m.randomize(rng);
            m.sweeps(rng, 1 / 2.269, 1, 2000);
        }
    }

    @Benchmark
    @OperationsPerInvocation(1024)
    public int metropolisFlips(MetropolisState s) {
        s.m.sweeps(s.rng, 1 / 2.269, 1, 1);
        return s.m.magnetization();
    }

    public static void main(String[] args) throws Exception {
        Main.main(args);
    }

    static final TimeUnit UNIT = TimeUnit.SECONDS;
}
