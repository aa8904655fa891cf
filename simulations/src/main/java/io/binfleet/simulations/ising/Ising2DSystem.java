package io.binfleet.simulations.ising;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.Normalization;
import io.binfleet.core.spi.SystemModel;
import io.binfleet.core.spi.SystemType;

import java.util.Optional;

/**
 * {@code Ising2D {L, J=1}}: the periodic L×L square lattice, E = −J Σ⟨ij⟩ sᵢsⱼ. With N = L² spins the
 * energies are E = J(−2N + 4j), j = 0..N, of which −2N+4 and 2N−4 (j = 1 and j = N−1) cannot be reached.
 */
public final class Ising2DSystem implements SystemType {
    public static final String NAME = "Ising2D";
    public static final int MIN_L = 4;
    public static final int MAX_L = 256;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SystemModel configure(Params state) {
        JsonNode l = state.raw("L");
        Integer size = null;
        if (l == null) {
            state.problem("L", "is required");
        } else if (!Params.isWhole(l)
                || !l.canConvertToInt()
                || l.asInt() % 2 != 0
                || l.asInt() < MIN_L
                || l.asInt() > MAX_L) {
            state.problem("L", "must be an even integer in " + MIN_L + ".." + MAX_L + ", got " + Params.describe(l));
        } else {
            size = l.asInt();
        }
        double j = state.number("J", 1e-6, 1e6, 1.0);
        return size == null ? null : new Ising2D(size, j);
    }

    /** A configured Ising lattice. */
    public record Ising2D(int L, double J) implements SystemModel {
        public Ising2D {
            if (L < MIN_L || L > MAX_L || L % 2 != 0) {
                throw new IllegalArgumentException(
                        "L must be an even integer in " + MIN_L + ".." + MAX_L + ", got " + L);
            }
            if (!(J > 0) || !Double.isFinite(J)) {
                throw new IllegalArgumentException("J must be positive, got " + J);
            }
        }

        /** The number of spins, L². */
        public int spins() {
            return L * L;
        }

        @Override
        public String type() {
            return NAME;
        }

        @Override
        public ObjectNode params() {
            return Codec.object().put("L", L).put("J", J);
        }

        /** The reachable energies, ascending: J(−2N + 4j) for j = 0..N without j = 1 and j = N − 1. */
        @Override
        public double[] levels() {
            int n = spins();
            double[] levels = new double[n - 1];
            int i = 0;
            for (int j = 0; j <= n; j++) {
                if (j != 1 && j != n - 1) {
                    levels[i++] = J * (-2.0 * n + 4.0 * j);
                }
            }
            return levels;
        }

        @Override
        public boolean mirrorSymmetric() {
            return true; // L is even: the lattice is bipartite, and flipping one sublattice maps E to -E
        }

        @Override
        public double units() {
            return spins();
        }

        /** T = 1.0 to 4.0 (in units of J) by 0.02: both sides of T_c = 2.269 J. */
        @Override
        public double[] temperatures() {
            double[] t = new double[151];
            for (int i = 0; i < t.length; i++) {
                t[i] = J * (1.0 + 0.02 * i);
            }
            return t;
        }

        /** Kaufman's exact solution of the finite periodic lattice, per spin. */
        @Override
        public Optional<double[]> exactThermodynamics(double t) {
            double u = Kaufman.energyPerSpin(L, t, J);
            double c = Kaufman.specificHeatPerSpin(L, t, J);
            double f = -t * Kaufman.lnZ(L, 1 / t, J) / spins();
            return Optional.of(new double[] {u, c, f, (u - f) / t});
        }

        /** ln g(E_ground) = ln 2: the two fully aligned states. */
        @Override
        public Optional<Normalization> normalization() {
            return Optional.of(new Normalization(-2.0 * spins() * J, Math.log(2)));
        }
    }
}
