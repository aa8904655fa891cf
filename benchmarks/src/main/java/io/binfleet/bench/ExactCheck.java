package io.binfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.merge.JobMerge;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.Piece;
import io.binfleet.core.spi.Series;
import io.binfleet.simulations.ising.BealeDos;
import io.binfleet.simulations.ising.Kaufman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Scores a {@code result.json} of an Ising job against exact results: for a density of states, max |Δ ln g(E)|
 * against Beale's exact g(E) and the largest relative error of C(T) computed from it against Kaufman for T in
 * [1.5, 3.5]; for Metropolis, U/N and C/N against Kaufman in units of their error bars.
 * Usage: {@code ExactCheck result.json}.
 */
public final class ExactCheck {
    private ExactCheck() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ExactCheck result.json");
            System.exit(2);
        }
        JsonNode r = Codec.readTree(Files.readAllBytes(Path.of(args[0])));
        JsonNode ising = r.path("spec").path("system").path("Ising2D");
        if (ising.isMissingNode()) {
            System.err.println("not an Ising2D job");
            System.exit(2);
        }
        int L = ising.get("L").asInt();
        double J = ising.path("J").asDouble(1);
        String simulation = r.path("spec").path("simulation").path("name").asText();
        double wall = (r.get("completedAt").asLong() - r.get("submittedAt").asLong()) / 1000.0;
        double cpu = 0;
        for (JsonNode p : r.get("pieces")) {
            cpu += p.get("seconds").asDouble();
        }
        System.out.printf(
                "%s: L=%d %s, %d pieces, submit→result %.2f s, pieces' seconds %.2f s in all%n",
                r.get("jobId").asText(), L, simulation, r.get("pieces").size(), wall, cpu);
        if ("wang-landau".equals(simulation) && "none".equals(r.get("merge").asText())) {
            remerge(r, L, J);
        } else if ("wang-landau".equals(simulation)) {
            dos(r, L, J);
        } else if ("metropolis".equals(simulation)) {
            metropolis(r, L, J);
        }
    }

    /** For a job merged with "none": merges its pieces with each rule and scores every result. */
    private static void remerge(JsonNode r, int L, double J) {
        List<Piece> pieces = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.get("series").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int index = Integer.parseInt(e.getKey().substring("piece.".length()));
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int k = 0; k < e.getValue().size(); k++) {
                if (!e.getValue().get(k).isNull()) {
                    xs.add(r.get("x").get(k).asDouble());
                    ys.add(e.getValue().get(k).asDouble());
                }
            }
            pieces.add(new Piece(
                    index,
                    xs.stream().mapToDouble(Double::doubleValue).toArray(),
                    ys.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        ObjectNode spec = (ObjectNode) r.get("spec").deepCopy();
        for (String merge : new String[] {
            "{\"method\": \"join\", \"at\": \"middle\"}",
            "{\"method\": \"join\", \"at\": \"slope\"}",
            "{\"method\": \"align\", \"weights\": \"uniform\"}",
            "{\"method\": \"align\", \"weights\": \"tukey\", \"alpha\": 0.5}"
        }) {
            spec.set("merge", Codec.readTree(merge));
            // as the reducer would: walkers (with their error bars), gaps, mirror
            Series s = JobMerge.of(SpecParser.builtin().parse(spec), pieces);
            ObjectNode merged = Codec.object();
            ArrayNode x = merged.putArray("x");
            ArrayNode y = merged.putArray("y");
            double[] err = s.series().get("y.err");
            ArrayNode e = err == null ? null : merged.putObject("series").putArray("y.err");
            for (int k = 0; k < s.x().length; k++) {
                x.add(s.x()[k]);
                y.add(s.y()[k]);
                if (e != null) {
                    e.add(Double.isNaN(err[k]) ? 0 : err[k]);
                }
            }
            System.out.println("merge " + merge + ":");
            dos(merged, L, J);
        }
    }

    private static void dos(JsonNode r, int L, double J) {
        int n = L * L;
        double[] exact = exactLnG(L);
        if (exact == null) {
            System.out.printf(
                    "no exact g(E) for L = %d (Beale's method takes hours past L = 32; BEALE=1 computes it anyway):"
                            + " C(T) against Kaufman only%n",
                    L);
            specificHeatOnly(r, L, J);
            return;
        }
        int count = r.get("x").size();
        double[] e = new double[count];
        double[] lnG = new double[count];
        double maxErr = 0;
        double worstE = 0;
        for (int k = 0; k < count; k++) {
            e[k] = r.get("x").get(k).asDouble();
            lnG[k] = r.get("y").get(k).asDouble();
            int j = (int) Math.rint((e[k] / J + 2.0 * n) / 4);
            double d = Math.abs(lnG[k] - exact[j]);
            if (d > maxErr) {
                maxErr = d;
                worstE = e[k];
            }
        }
        System.out.printf("max |d ln g(E)| = %.4f (at E = %.0f) over %d levels%n", maxErr, worstE, count);
        JsonNode err = r.path("series").path("y.err");
        if (err.isArray()) {
            // how often the exact value lies within the reported error bars (levels with an error bar: not the
            // normalization point, whose value is fixed)
            int with = 0;
            int inside1 = 0;
            int inside2 = 0;
            double sumErr = 0;
            for (int k = 0; k < count; k++) {
                double s = err.get(k).asDouble(Double.NaN);
                if (!(s > 0)) {
                    continue;
                }
                int j = (int) Math.rint((e[k] / J + 2.0 * n) / 4);
                double d = Math.abs(lnG[k] - exact[j]);
                with++;
                sumErr += s;
                inside1 += d <= s ? 1 : 0;
                inside2 += d <= 2 * s ? 1 : 0;
            }
            System.out.printf(
                    "error bars: mean %.4f; exact within 1 sigma at %.1f%%, within 2 sigma at %.1f%% of %d levels%n",
                    sumErr / Math.max(1, with),
                    100.0 * inside1 / Math.max(1, with),
                    100.0 * inside2 / Math.max(1, with),
                    with);
        }
        printSpecificHeatError(e, lnG, L, J);
    }

    /** Beale's ln g for L, computed once and kept in {@code bench/out/exact-lng-L.txt}. */
    static double[] exactLnG(int L) {
        Path cache = Path.of("bench", "out", "exact-lng-" + L + ".txt");
        try {
            if (!Files.exists(cache) && L > 32 && !"1".equals(System.getenv("BEALE"))) {
                return null;
            }
            if (Files.exists(cache)) {
                return Files.readAllLines(cache).stream()
                        .mapToDouble(Double::parseDouble)
                        .toArray();
            }
            long start = System.nanoTime();
            double[] lnG = BealeDos.lnG(L);
            System.out.printf("exact g(E) (Beale) in %.1f s%n", (System.nanoTime() - start) / 1e9);
            Files.createDirectories(cache.getParent());
            Files.write(cache, Arrays.stream(lnG).mapToObj(Double::toString).toList());
            return lnG;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * C(T) of the result against Kaufman's exact C on [1.5, 3.5]: the largest relative error, and where the result has
     * error bars (walkers), the largest deviation in their units.
     */
    private static void specificHeatOnly(JsonNode r, int L, double J) {
        int n = L * L;
        int count = r.get("x").size();
        double[] e = new double[count];
        double[] lnG = new double[count];
        for (int k = 0; k < count; k++) {
            e[k] = r.get("x").get(k).asDouble();
            lnG[k] = r.get("y").get(k).asDouble();
        }
        printSpecificHeatError(e, lnG, L, J);
        JsonNode th = r.path("thermodynamics");
        JsonNode ts = th.path("T");
        JsonNode cs = th.path("C");
        JsonNode errs = th.path("C.err");
        if (ts.isArray() && errs.isArray()) {
            double worst = 0;
            double worstAt = 0;
            int within2 = 0;
            int with = 0;
            for (int k = 0; k < ts.size(); k++) {
                double t = ts.get(k).asDouble();
                double err = errs.get(k).asDouble(Double.NaN);
                if (!(err > 0)) {
                    continue;
                }
                double d = Math.abs(cs.get(k).asDouble() - Kaufman.specificHeatPerSpin(L, t, J)) / err;
                with++;
                within2 += d <= 2 ? 1 : 0;
                if (d > worst) {
                    worst = d;
                    worstAt = t;
                }
            }
            System.out.printf(
                    "C(T) error bars: exact within 2 sigma at %d of %d temperatures; largest deviation %.1f sigma"
                            + " (T = %.2f)%n",
                    within2, with, worst, worstAt);
        }
    }

    /** The largest relative error of C(T) from {@code lnG} against Kaufman's exact C on T in [1.5, 3.5]. */
    private static void printSpecificHeatError(double[] e, double[] lnG, int L, double J) {
        int n = L * L;
        double maxRel = 0;
        double worstT = 0;
        for (double t = 1.5; t <= 3.5 + 1e-9; t += 0.05) {
            double c = specificHeat(e, lnG, t, n);
            double ce = Kaufman.specificHeatPerSpin(L, t, J);
            double rel = Math.abs(c - ce) / ce;
            if (rel > maxRel) {
                maxRel = rel;
                worstT = t;
            }
        }
        System.out.printf("max |dC/C| for T in [1.5, 3.5] = %.3f%% (at T = %.2f)%n", 100 * maxRel, worstT);
    }

    /** C/N from a density of states: β²(⟨E²⟩ − ⟨E⟩²)/N. */
    static double specificHeat(double[] e, double[] lnG, double t, int n) {
        double beta = 1 / t;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < e.length; k++) {
            max = Math.max(max, lnG[k] - beta * e[k]);
        }
        double z = 0;
        double e1 = 0;
        double e2 = 0;
        for (int k = 0; k < e.length; k++) {
            double w = Math.exp(lnG[k] - beta * e[k] - max);
            z += w;
            e1 += w * e[k];
            e2 += w * e[k] * e[k];
        }
        e1 /= z;
        e2 /= z;
        return beta * beta * (e2 - e1 * e1) / n;
    }

    private static void metropolis(JsonNode r, int L, double J) {
        double worst = 0;
        for (int k = 0; k < r.get("x").size(); k++) {
            double t = r.get("x").get(k).asDouble();
            double u = r.get("y").get(k).asDouble();
            double du = r.path("series").path("U.err").get(k).asDouble();
            double exact = Kaufman.energyPerSpin(L, t, J);
            double sig = Math.abs(u - exact) / du;
            worst = Math.max(worst, sig);
            System.out.printf("T=%.3f U/N=%.5f ± %.5f exact %.5f (%.1f sigma)%n", t, u, du, exact, sig);
        }
        System.out.printf("largest deviation: %.2f standard errors%n", worst);
    }
}
