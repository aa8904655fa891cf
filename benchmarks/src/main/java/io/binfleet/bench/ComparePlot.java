package io.binfleet.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws {@code bench/compare}'s table as one PNG: efficiency of the CPU-bound workloads (with the targets)
 * and throughput of all three (log10 of pieces/s), binfleet beside its peers (the multiprocessing Pool, Dask). Usage:
 * {@code ComparePlot TABLE.csv OUT.png}, the CSV holding {@code workload,runner,wall,pieces_per_s,efficiency}.
 */
public final class ComparePlot {
    private ComparePlot() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ComparePlot TABLE.csv OUT.png");
            System.exit(2);
        }
        Map<String, Map<String, double[]>> rows = new LinkedHashMap<>(); // runner -> workload -> {pieces/s, efficiency}
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.split(",", -1);
            if (f.length < 5 || f[0].equals("workload")) {
                continue;
            }
            rows.computeIfAbsent(f[1], r -> new LinkedHashMap<>()).put(f[0], new double[] {
                Double.parseDouble(f[3]), f[4].isBlank() ? Double.NaN : Double.parseDouble(f[4])
            });
        }
        CategoryChart efficiency = new CategoryChartBuilder()
                .width(560)
                .height(420)
                .title("Efficiency, W = 2 (sum of piece times / W / wall)")
                .xAxisTitle("workload")
                .yAxisTitle("efficiency")
                .build();
        efficiency.getStyler().setLabelsVisible(true);
        efficiency.getStyler().setYAxisDecimalPattern("0.000");
        efficiency.getStyler().setYAxisMin(0.5).setYAxisMax(1.0).setLegendPosition(Styler.LegendPosition.OutsideS);
        List<String> cpuBound = List.of("b", "c");
        for (Map.Entry<String, Map<String, double[]>> runner : rows.entrySet()) {
            efficiency.addSeries(
                    runner.getKey(),
                    label(cpuBound),
                    cpuBound.stream()
                            .map(w -> runner.getValue().getOrDefault(w, new double[] {0, 0})[1])
                            .toList());
        }
        efficiency.addSeries("target", label(cpuBound), List.of(0.97, 0.98));
        CategoryChart throughput = new CategoryChartBuilder()
                .width(560)
                .height(420)
                .title("Throughput: log10 of pieces/s")
                .xAxisTitle("workload")
                .yAxisTitle("log10(pieces/s): 3 is 1,000/s")
                .build();
        throughput.getStyler().setLabelsVisible(true);
        throughput.getStyler().setYAxisDecimalPattern("0.0");
        throughput.getStyler().setYAxisMin(0.0).setLegendPosition(Styler.LegendPosition.OutsideS);
        List<String> all = List.of("a", "b", "c");
        for (Map.Entry<String, Map<String, double[]>> runner : rows.entrySet()) {
            throughput.addSeries(
                    runner.getKey(),
                    label(all),
                    all.stream()
                            .map(w -> Math.log10(runner.getValue().getOrDefault(w, new double[] {1, 0})[0]))
                            .toList());
        }
        writeSideBySide(
                BitmapEncoder.getBufferedImage(efficiency), BitmapEncoder.getBufferedImage(throughput), args[1]);
    }

    /** Two charts side by side in one PNG at {@code file}. */
    static void writeSideBySide(BufferedImage left, BufferedImage right, String file) throws IOException {
        BufferedImage both = new BufferedImage(
                left.getWidth() + right.getWidth(),
                Math.max(left.getHeight(), right.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        ImageIO.write(both, "png", Path.of(file).toFile());
        System.out.println("wrote " + file);
    }

    private static List<String> label(List<String> workloads) {
        List<String> out = new ArrayList<>();
        for (String w : workloads) {
            out.add(
                    switch (w) {
                        case "a" -> "(a) 20,000 x 0 s";
                        case "b" -> "(b) 16 x 0.5 s ± 90%";
                        default -> "(c) 8 x 1 s";
                    });
        }
        return out;
    }
}
