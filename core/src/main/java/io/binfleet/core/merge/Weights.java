package io.binfleet.core.merge;

import com.fasterxml.jackson.databind.JsonNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.spec.Params;
import io.binfleet.core.spi.MergeException;
import io.binfleet.core.spi.Piece;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Credence weights in [0, 1] for the {@code sum} rule: {@code "uniform"}, {@code "tukey"} (a Tukey window with
 * {@code alpha} over each piece's extent), per-piece numbers, or {@code "piece"}: the per-point weights the
 * simulation returned.
 */
sealed interface Weights {
    /** The weights of {@code pieces.get(p)}'s points, by point index ({@code pieces}: every piece of the merge). */
    default double[] of(List<Piece> pieces, int p) {
        double[] w = new double[pieces.get(p).x().length];
        fill(pieces, p, w, 0, w.length);
        return w;
    }

    /** Writes the weights of points {@code from .. to-1} of {@code pieces.get(p)} into {@code w}. */
    void fill(List<Piece> pieces, int p, double[] w, int from, int to);

    /** Its spec form, for {@code params()}. */
    JsonNode json();

    record Uniform() implements Weights {
        @Override
        public void fill(List<Piece> pieces, int p, double[] w, int from, int to) {
            Arrays.fill(w, from, to, 1);
        }

        @Override
        public JsonNode json() {
            return Codec.tree("uniform");
        }
    }

    record Tukey(double alpha) implements Weights {
        @Override
        public void fill(List<Piece> pieces, int p, double[] w, int from, int to) {
            double[] x = pieces.get(p).x();
            double lo = pieces.get(p).first();
            double hi = pieces.get(p).last();
            if (!(hi > lo) || alpha <= 0) {
                Arrays.fill(w, from, to, 1);
                return;
            }
            double span = hi - lo;
            double edge = alpha / 2;
            // On evenly spaced points the taper's angle grows by a fixed step, so its cosine follows by rotation
            // (two multiply-adds) instead of a cos per point; computed afresh every RESYNC points, at every uneven
            // step and at every region change, which keeps it within 1e-13 of the closed form.
            double c = 0;
            double s = 0;
            double cosStep = 1;
            double sinStep = 0;
            double step = Double.NaN;
            double previous = Double.NaN;
            int region = 0;
            int rotated = RESYNC;
            for (int k = from; k < to; k++) {
                double t = (x[k] - lo) / span;
                int r = t < edge ? 1 : t > 1 - edge ? 2 : 0;
                if (r == 0) {
                    w[k] = 1;
                    region = 0;
                    continue;
                }
                double theta = r == 1 ? Math.PI * (2 * t / alpha - 1) : Math.PI * (2 * t / alpha - 2 / alpha + 1);
                double d = theta - previous;
                if (r == region && rotated < RESYNC && Math.abs(d - step) <= 1e-14) {
                    double next = c * cosStep - s * sinStep;
                    s = s * cosStep + c * sinStep;
                    c = next;
                    rotated++;
                } else {
                    c = Math.cos(theta);
                    s = Math.sin(theta);
                    rotated = 0;
                    if (r == region) {
                        step = d;
                        cosStep = Math.cos(d);
                        sinStep = Math.sin(d);
                    } else {
                        rotated = RESYNC; // no step yet: the next point is computed afresh too, and sets it
                    }
                }
                w[k] = 0.5 * (1 + c);
                previous = theta;
                region = r;
            }
        }

        /** Points between fresh evaluations of the taper's cosine. */
        private static final int RESYNC = 32;

        @Override
        public JsonNode json() {
            return Codec.tree("tukey");
        }
    }

    record PerPiece(List<Double> values) implements Weights {
        @Override
        public void fill(List<Piece> pieces, int p, double[] w, int from, int to) {
            int index = pieces.get(p).index();
            if (values.size() != pieces.size() || index >= values.size()) {
                throw new MergeException("merge.weights has " + values.size() + " numbers for " + pieces.size()
                        + " pieces (indices 0.." + (pieces.size() - 1) + ")");
            }
            Arrays.fill(w, from, to, values.get(index));
        }

        @Override
        public JsonNode json() {
            return Codec.tree(values);
        }
    }

    record PerPoint() implements Weights {
        @Override
        public double[] of(List<Piece> pieces, int p) {
            double[] w = pieces.get(p).output().w();
            if (w == null) {
                throw new MergeException("piece " + pieces.get(p).index()
                        + " returned no weights (w), which merge.weights \"piece\" needs");
            }
            return w;
        }

        @Override
        public void fill(List<Piece> pieces, int p, double[] w, int from, int to) {
            System.arraycopy(of(pieces, p), from, w, from, to - from);
        }

        @Override
        public JsonNode json() {
            return Codec.tree("piece");
        }
    }

    /**
     * The Tukey (tapered cosine) window at {@code t} in [0, 1]: a cosine taper over the first and last
     * {@code alpha}/2 of the extent, 1 in between; alpha 0 is rectangular, alpha 1 is the Hann window.
     */
    static double tukey(double t, double alpha) {
        if (alpha <= 0) {
            return 1;
        }
        if (t < alpha / 2) {
            return 0.5 * (1 + Math.cos(Math.PI * (2 * t / alpha - 1)));
        }
        if (t > 1 - alpha / 2) {
            return 0.5 * (1 + Math.cos(Math.PI * (2 * t / alpha - 2 / alpha + 1)));
        }
        return 1;
    }

    /** Reads {@code weights} (and {@code alpha}) from a merge's params. */
    static Weights read(Params params, String dflt) {
        JsonNode v = params.raw("weights");
        boolean tukey =
                v == null ? "tukey".equals(dflt) : v.isTextual() && v.asText().equals("tukey");
        double alpha = params.number("alpha", 0, 1, 0.1);
        if (params.has("alpha") && !tukey) {
            params.problem("alpha", "applies only to weights \"tukey\"");
        }
        if (v == null) {
            return tukey ? new Tukey(alpha) : new Uniform();
        }
        if (v.isTextual()) {
            switch (v.asText()) {
                case "uniform":
                    return new Uniform();
                case "tukey":
                    return new Tukey(alpha);
                case "piece":
                    return new PerPoint();
                default:
                    break;
            }
        } else if (v.isArray() && v.size() > 0) {
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                JsonNode e = v.get(i);
                if (!e.isNumber() || !(e.asDouble() >= 0 && e.asDouble() <= 1)) {
                    params.problem("weights[" + i + "]", "must be a number in [0, 1], got " + Params.describe(e));
                    return new Uniform();
                }
                values.add(e.asDouble());
            }
            return new PerPiece(List.copyOf(values));
        }
        params.problem(
                "weights",
                "must be \"uniform\", \"tukey\", \"piece\" or an array of numbers in [0, 1], got "
                        + Params.describe(v));
        return new Uniform();
    }
}
