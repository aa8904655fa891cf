package io.binfleet.reducer;

import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Writes a job's {@code result.json}, {@code result.csv} and {@code plot.png} into a folder. */
public final class ResultFiles {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ResultFiles() {
    }

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

    /** Writes the three files into {@code dir} (created if needed). */
    public static void write(Path dir, JobResult result) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("result.json"), Codec.writePretty(result) + "\n", StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("result.csv"), csv(result), StandardCharsets.UTF_8);
            plot(dir.resolve("plot.png"), result);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the result files to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A header row, then one row per x: x, y, then each series; gaps are empty cells. */
    static String csv(JobResult r) {
        StringBuilder sb = new StringBuilder("x,y");
        for (String name : r.series().keySet()) {
            sb.append(',').append(name.contains(",") ? "\"" + name + "\"" : name);
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

    static void plot(Path file, JobResult r) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1000).height(650).title(r.name() + " (" + r.merge() + ", "
                + r.pieces().size() + " pieces)").xAxisTitle("x").yAxisTitle("y").build();
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setMarkerSize(3);
        boolean any = addSeries(chart, "merged", r.x(), r.y());
        for (Map.Entry<String, List<Double>> e : r.series().entrySet()) {
            any |= addSeries(chart, e.getKey(), r.x(), e.getValue());
        }
        if (!any) {
            chart.addSeries("(no points)", new double[] {0}, new double[] {0});
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
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
