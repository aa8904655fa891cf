package io.binfleet.reducer;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.spec.SpecParser;
import io.binfleet.core.spi.Chart;
import io.binfleet.core.spi.Simulation;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** Writes a job's {@code result.json}, {@code result.csv} and {@code plot.png} into a folder. */
public final class ResultFiles {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ResultFiles() {}

    /**
     * The folder for {@code jobId} under {@code root}; a job id that could escape {@code root} is refused.
     *
     * @throws IllegalArgumentException for an unsafe job id
     */
    public static Path folder(Path root, String jobId) {
        if (!SAFE.matcher(jobId).matches()) {
            throw new IllegalArgumentException("job id " + jobId + " is not safe as a folder name");
        }
        Path dir = root.resolve(jobId).normalize();
        if (!dir.startsWith(root.normalize())) {
            throw new IllegalArgumentException("job id " + jobId + " escapes " + root);
        }
        return dir;
    }

    /**
     * Writes the three files into {@code dir} (created if needed), the plot drawn as the job's simulation declares
     * ({@link Simulation#chart()}).
     */
    public static void write(Path dir, JobResult result, SpecParser parser) {
        write(dir, result, chartOf(result, parser));
    }

    /** How the result's simulation wants it drawn; y against x if its spec no longer parses. */
    static Chart chartOf(JobResult result, SpecParser parser) {
        try {
            return parser.parse(result.spec()).simulation().chart();
        } catch (RuntimeException e) {
            return Chart.XY;
        }
    }

    /** Writes the three files into {@code dir} (created if needed), the plot as {@code chart}. */
    public static void write(Path dir, JobResult result, Chart chart) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("result.json"), Codec.writePretty(result) + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("result.csv"), csv(result, chart), StandardCharsets.UTF_8);
            plot(dir.resolve("plot.png"), result, chart);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the result files to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A header row (what x and y are, as the simulation's chart names them: {@code E,ln g(E)}, {@code T,U/N} or
     * {@code x,y}; then each series, {@code y.err} as y's), then one row per x: x, y, then each series; gaps are empty
     * cells.
     */
    static String csv(JobResult r, Chart chart) {
        StringBuilder sb = new StringBuilder(chart.x() + "," + chart.y());
        for (String name : r.series().keySet()) {
            String header = name.equals("y.err") ? chart.y() + ".err" : name;
            sb.append(',').append(header.contains(",") ? "\"" + header + "\"" : header);
        }
        sb.append('\n');
        for (int i = 0; i < r.x().size(); i++) {
            sb.append(cell(r.x().get(i))).append(',').append(cell(r.y().get(i)));
            for (List<Double> s : r.series().values()) {
                sb.append(',').append(cell(s.get(i)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String cell(Double v) {
        return v == null ? "" : Double.toString(v);
    }

    /**
     * Loads what drawing a plot needs (the chart library, Java2D, fonts: about half a second in a fresh JVM) by drawing
     * a small chart in memory, so that a caller can do it while it waits for a result rather than after.
     */
    public static void warmUp() {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = chart("warm-up", "x", "y", 200, 150);
        chart.addSeries("s", new double[] {0, 1}, new double[] {0, 1});
        BitmapEncoder.getBufferedImage(chart);
    }

    static void plot(Path file, JobResult r, Chart chart) throws IOException {
        System.setProperty("java.awt.headless", "true");
        switch (chart) {
            case THERMODYNAMICS -> thermodynamics(file, r);
            case DENSITY_OF_STATES -> densityOfStates(file, r);
            default -> generic(file, r);
        }
    }

    private static void generic(Path file, JobResult r) throws IOException {
        XYChart chart = chart(r.name() + " (" + r.merge() + ", " + r.pieces().size() + " pieces)", "x", "y", 1000, 650);
        boolean any = addSeries(chart, "merged", r.x(), r.y());
        for (Map.Entry<String, List<Double>> e : r.series().entrySet()) {
            any |= addSeries(chart, e.getKey(), r.x(), e.getValue());
        }
        if (!any) {
            chart.addSeries("(no points)", new double[] {0}, new double[] {0});
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * ln g(E) with each window's extent drawn as a bar under the curve; below it, when the job has error bars
     * (walkers), the standard error of ln g(E) along E (too small to see on ln g itself) with each boundary's join
     * spread marked, the suspect ones apart.
     */
    private static void densityOfStates(Path file, JobResult r) throws IOException {
        int walkers =
                r.spec() == null ? 1 : r.spec().path("parallel").path("walkers").asInt(1);
        int windows = r.pieces().size() / Math.max(1, walkers);
        boolean replicas = r.spec() != null
                && "replicas".equals(r.spec().path("parallel").path("split").asText());
        XYChart chart = chart(
                r.name() + ": ln g(E), " + windows + (replicas ? " replicas averaged" : " windows joined") + " ("
                        + r.merge() + ")"
                        + (walkers > 1 ? ", " + walkers + " walkers each" : ""),
                "E",
                "ln g(E)",
                1000,
                650);
        addSeries(chart, "ln g(E)", r.x(), r.y());
        double top = r.y().stream()
                .filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(1);
        for (JobResult.PieceInfo p : r.pieces()) {
            if (p.index() % walkers != 0) {
                continue; // one bar per window
            }
            int window = p.index() / walkers;
            double level = -top * (0.04 + 0.035 * (window % 4));
            XYSeries bar = chart.addSeries(
                    "window " + window, new double[] {p.x().get(0), p.x().get(1)}, new double[] {level, level});
            bar.setMarker(SeriesMarkers.NONE);
            bar.setLineWidth(5);
            bar.setShowInLegend(windows <= 12);
        }
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(BitmapEncoder.getBufferedImage(chart));
        List<Double> err = r.series().get("y.err");
        if (err != null) {
            panels.add(BitmapEncoder.getBufferedImage(errorPanel(r, err, walkers)));
        }
        List<Double> c = r.thermodynamics().get("C");
        if (c != null) {
            panels.add(BitmapEncoder.getBufferedImage(specificHeatPanel(r, c)));
        }
        if (panels.size() == 1) {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
            return;
        }
        int height = panels.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage all = new BufferedImage(panels.get(0).getWidth(), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), height);
        int at = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, 0, at, null);
            at += p.getHeight();
        }
        g.dispose();
        ImageIO.write(all, "png", file.toFile());
    }

    /** ln g's standard error along E, with each boundary's join spread (the suspect ones as red crosses). */
    private static XYChart errorPanel(JobResult r, List<Double> err, int walkers) {
        XYChart errors = chart(
                "standard error of ln g(E) (" + walkers + " walkers per window) and the windows' join spread",
                "E",
                "error",
                1000,
                400);
        addSeries(errors, "standard error of ln g(E)", r.x(), err);
        List<Double> ok = new ArrayList<>();
        List<Double> okSpread = new ArrayList<>();
        List<Double> bad = new ArrayList<>();
        List<Double> badSpread = new ArrayList<>();
        for (var b : r.boundaries()) {
            (b.suspect() ? bad : ok).add(b.at());
            (b.suspect() ? badSpread : okSpread).add(b.spread());
        }
        if (!ok.isEmpty()) {
            XYSeries s = errors.addSeries("join spread", ok, okSpread);
            s.setLineWidth(0);
            s.setMarker(SeriesMarkers.DIAMOND);
        }
        if (!bad.isEmpty()) {
            XYSeries s = errors.addSeries("join spread, suspect", bad, badSpread);
            s.setLineWidth(0);
            s.setMarker(SeriesMarkers.CROSS);
            s.setMarkerColor(Color.RED);
        }
        return errors;
    }

    /** C(T) per spin from ln g, with its error bars, and the exact curve where the system knows it. */
    private static XYChart specificHeatPanel(JobResult r, List<Double> c) {
        List<Double> t = r.thermodynamics().get("T");
        List<Double> cErr = r.thermodynamics().get("C.err");
        XYChart chart = chart("specific heat from ln g(E)", "T", "C/N", 1000, 450);
        List<Double> errs = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            errs.add(cErr == null || cErr.get(i) == null ? 0.0 : cErr.get(i));
        }
        XYSeries s = chart.addSeries("C/N" + (cErr == null ? "" : " ± standard error"), t, c, errs);
        s.setMarker(SeriesMarkers.CIRCLE);
        List<Double> exact = r.thermodynamics().get("C.exact");
        if (exact != null) {
            XYSeries e = chart.addSeries("exact", t, exact);
            e.setMarker(SeriesMarkers.NONE);
            e.setLineColor(Color.BLACK);
        }
        chart.getStyler().setMarkerSize(3);
        return chart;
    }

    /** U/N, C/N and |m|/N against T with their error bars, side by side. */
    private static void thermodynamics(Path file, JobResult r) throws IOException {
        BufferedImage[] panels = {
            panel(r, "U/N", r.y(), r.series().get("U.err")),
            panel(r, "C/N", r.series().get("C"), r.series().get("C.err")),
            panel(r, "|m|", r.series().get("m"), r.series().get("m.err"))
        };
        int width = 0;
        int height = 0;
        for (BufferedImage p : panels) {
            if (p != null) {
                width += p.getWidth();
                height = Math.max(height, p.getHeight());
            }
        }
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int at = 0;
        for (BufferedImage p : panels) {
            if (p != null) {
                g.drawImage(p, at, 0, null);
                at += p.getWidth();
            }
        }
        g.dispose();
        ImageIO.write(all, "png", file.toFile());
    }

    private static BufferedImage panel(JobResult r, String name, List<Double> y, List<Double> err) {
        if (y == null) {
            return null;
        }
        XYChart chart = chart(r.name() + ": " + name, "T", name, 600, 500);
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Double> es = new ArrayList<>();
        for (int i = 0; i < r.x().size(); i++) {
            if (y.get(i) != null) {
                xs.add(r.x().get(i));
                ys.add(y.get(i));
                es.add(err == null || err.get(i) == null ? 0.0 : err.get(i));
            }
        }
        if (xs.isEmpty()) {
            return null;
        }
        XYSeries s = chart.addSeries(name, xs, ys, es);
        s.setMarker(SeriesMarkers.CIRCLE);
        chart.getStyler().setLegendVisible(false);
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static XYChart chart(String title, String x, String y, int width, int height) {
        XYChart chart = new XYChartBuilder()
                .width(width)
                .height(height)
                .title(title)
                .xAxisTitle(x)
                .yAxisTitle(y)
                .build();
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setMarkerSize(4);
        return chart;
    }

    private static boolean addSeries(XYChart chart, String name, List<Double> x, List<Double> y) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            if (x.get(i) != null && y.get(i) != null) {
                xs.add(x.get(i));
                ys.add(y.get(i));
            }
        }
        if (xs.isEmpty()) {
            return false;
        }
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(xs.size() > 200 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        return true;
    }
}
