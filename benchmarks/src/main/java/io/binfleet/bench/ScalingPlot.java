package io.binfleet.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code bench/scaling}'s runs (one CSV row per run, as {@code bench/accuracy} writes them with ACCURACY_CSV),
 * prints each set's medians with the error ratio per 4x work, and draws the error against the work on log-log axes
 * beside the error bars' coverage. Usage: {@code ScalingPlot RUNS.csv OUT.png}.
 */
public final class ScalingPlot {
    private ScalingPlot() {}

    private record Run(double wall, double work, double dlng, double dc, double in1, double in2, int levels) {}

    private static final Pattern WALKERS = Pattern.compile("walkers-(\\d+)");

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ScalingPlot RUNS.csv OUT.png");
            System.exit(2);
        }
        Map<Integer, List<Run>> sets = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.split(",", -1);
            if (f.length < 10 || f[0].equals("job")) {
                continue;
            }
            Matcher m = WALKERS.matcher(f[0]);
            if (!m.find()) {
                continue;
            }
            sets.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>())
                    .add(new Run(
                            Double.parseDouble(f[2]),
                            Double.parseDouble(f[3]),
                            Double.parseDouble(f[4]),
                            Double.parseDouble(f[5]),
                            f[7].isBlank() ? Double.NaN : Double.parseDouble(f[7]),
                            f[8].isBlank() ? Double.NaN : Double.parseDouble(f[8]),
                            f[9].isBlank() ? 0 : Integer.parseInt(f[9])));
        }
        if (sets.isEmpty()) {
            System.err.println("no runs in " + args[0]);
            System.exit(1);
        }
        System.out.printf(
                "%8s %5s %10s %10s %16s %11s %10s %10s %14s%n",
                "walkers", "runs", "job s", "work s", "max|d ln g|", "max|dC/C|", "1 sigma", "2 sigma", "2 sigma best");
        List<Double> works = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        List<Double> allErr = new ArrayList<>();
        List<Double> walkers = new ArrayList<>();
        List<Double> cover2 = new ArrayList<>();
        List<Double> best2 = new ArrayList<>();
        Map<Integer, Double> medianOf = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Run>> set : sets.entrySet()) {
            List<Run> runs = set.getValue();
            int m = set.getKey();
            double work = median(runs.stream().mapToDouble(Run::work).toArray());
            double err = median(runs.stream().mapToDouble(Run::dlng).toArray());
            double lo = runs.stream().mapToDouble(Run::dlng).min().orElse(Double.NaN);
            double hi = runs.stream().mapToDouble(Run::dlng).max().orElse(Double.NaN);
            int levels = runs.stream().mapToInt(Run::levels).sum();
            double in1 = runs.stream().mapToDouble(r -> r.in1() * r.levels()).sum() / Math.max(1, levels);
            double in2 = runs.stream().mapToDouble(r -> r.in2() * r.levels()).sum() / Math.max(1, levels);
            double best = 100 * tWithin(2, m - 1);
            System.out.printf(
                    "%8d %5d %10.1f %10.1f %6.4f (%.3f-%.3f) %10.2f%% %9.1f%% %9.1f%% %13.1f%%%n",
                    m,
                    runs.size(),
                    median(runs.stream().mapToDouble(Run::wall).toArray()),
                    work,
                    err,
                    lo,
                    hi,
                    median(runs.stream().mapToDouble(Run::dc).toArray()),
                    in1,
                    in2,
                    best);
            works.add(work);
            medians.add(err);
            medianOf.put(m, err);
            for (Run r : runs) {
                allErr.add(r.dlng());
            }
            walkers.add((double) m);
            cover2.add(in2);
            best2.add(best);
        }
        for (Map.Entry<Integer, Double> e : medianOf.entrySet()) {
            Double four = medianOf.get(e.getKey() * 4);
            if (four != null) {
                System.out.printf(
                        "error with %d walkers / error with %d (4x the work): %.2f (1/sqrt(work) predicts 2.00)%n",
                        e.getKey(), e.getKey() * 4, e.getValue() / four);
            }
        }
        // the slope of log(median error) against log(work), least squares over the sets
        if (works.size() > 1) {
            double n = works.size();
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            for (int i = 0; i < works.size(); i++) {
                double x = Math.log(walkers.get(i));
                double y = Math.log(medians.get(i));
                sx += x;
                sy += y;
                sxx += x * x;
                sxy += x * y;
            }
            System.out.printf(
                    "slope of log(median error) against log(walkers, the work): %.2f (unsaturated Monte Carlo: -0.50)%n",
                    (n * sxy - sx * sy) / (n * sxx - sx * sx));
        }

        // x: the CPU budget in walkers per window. Under 1/t the steps of a piece are fixed by its window and ln f
        // final, so the work is exactly proportional to m; the measured pieces' seconds (printed above) also carry
        // whatever else the machine was doing.
        XYChart error = new XYChartBuilder()
                .width(600)
                .height(440)
                .title("Error against CPU budget (L = 16, exact: Beale)")
                .xAxisTitle("CPU budget: walkers per window, 2 to 16 (work ∝ walkers)")
                .yAxisTitle("max |Δ ln g(E)|")
                .build();
        error.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        error.getStyler().setXAxisLogarithmicDecadeOnly(false).setYAxisLogarithmicDecadeOnly(false);
        error.getStyler().setYAxisDecimalPattern("0.000").setXAxisDecimalPattern("0");
        error.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        error.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        List<Double> runWalkers = new ArrayList<>();
        for (Map.Entry<Integer, List<Run>> set : sets.entrySet()) {
            set.getValue().forEach(r -> runWalkers.add((double) set.getKey()));
        }
        XYSeries each = error.addSeries("each run", runWalkers, allErr);
        each.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        each.setMarker(SeriesMarkers.CIRCLE);
        each.setMarkerColor(new Color(120, 150, 200));
        XYSeries med = error.addSeries("median of the runs", walkers, medians);
        med.setMarker(SeriesMarkers.DIAMOND);
        med.setLineColor(new Color(200, 60, 40));
        med.setMarkerColor(new Color(200, 60, 40));
        List<Double> ref = new ArrayList<>();
        for (double m : walkers) {
            ref.add(medians.get(0) * Math.sqrt(walkers.get(0) / m));
        }
        XYSeries line = error.addSeries("∝ 1/√work", walkers, ref);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Color.GRAY);

        XYChart coverage = new XYChartBuilder()
                .width(600)
                .height(440)
                .title("Exact ln g within the reported 2σ")
                .xAxisTitle("walkers per window")
                .yAxisTitle("levels covered, %")
                .build();
        coverage.getStyler().setXAxisLogarithmic(false);
        coverage.getStyler().setXAxisDecimalPattern("0").setYAxisMin(50.0).setYAxisMax(100.0);
        coverage.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        XYSeries measured = coverage.addSeries("measured, all runs' levels", walkers, cover2);
        measured.setMarker(SeriesMarkers.DIAMOND);
        measured.setLineColor(new Color(200, 60, 40));
        measured.setMarkerColor(new Color(200, 60, 40));
        XYSeries t = coverage.addSeries("best m samples allow (Student's t, m − 1 d.o.f.)", walkers, best2);
        t.setMarker(SeriesMarkers.NONE);
        t.setLineColor(Color.GRAY);

        ComparePlot.writeSideBySide(
                BitmapEncoder.getBufferedImage(error), BitmapEncoder.getBufferedImage(coverage), args[1]);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * P(|T| &lt; t) for Student's t with {@code nu} degrees of freedom (Abramowitz and Stegun 26.7.3-4): how often a
     * true value lies within t estimated standard errors when the error is estimated from nu + 1 samples.
     */
    static double tWithin(double t, int nu) {
        if (nu < 1) {
            return Double.NaN;
        }
        double theta = Math.atan(t / Math.sqrt(nu));
        double c2 = Math.cos(theta) * Math.cos(theta);
        if (nu % 2 == 1) {
            double sum = 0;
            double term = 1;
            for (int k = 1; k <= (nu - 1) / 2; k++) {
                sum += term;
                term *= c2 * (2.0 * k) / (2.0 * k + 1);
            }
            return 2 / Math.PI * (theta + (nu > 1 ? Math.sin(theta) * Math.cos(theta) * sum : 0));
        }
        double sum = 0;
        double term = 1;
        for (int k = 1; k <= nu / 2; k++) {
            sum += term;
            term *= c2 * (2.0 * k - 1) / (2.0 * k);
        }
        return Math.sin(theta) * sum;
    }
}
