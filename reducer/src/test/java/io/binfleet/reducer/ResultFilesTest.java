package io.binfleet.reducer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.binfleet.core.codec.Codec;
import io.binfleet.core.message.JobResult;
import io.binfleet.core.spi.Boundary;
import io.binfleet.core.spi.Chart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResultFilesTest {
    @TempDir
    Path dir;

    private static JobResult dos(String parallel) {
        return dos(parallel, Map.of());
    }

    private static JobResult dos(String parallel, Map<String, List<Double>> thermodynamics) {
        return new JobResult(
                "dos-1",
                "dos",
                "DONE",
                false,
                List.of(),
                "join",
                List.of(-8.0, -4.0, 0.0, 4.0, 8.0),
                List.of(0.693, 2.1, 3.0, 2.1, 0.693),
                Map.of("y.err", Arrays.asList(0.0, 0.01, 0.02, 0.03, null)),
                List.of(
                        new JobResult.PieceInfo(0, 1, "w", 1, 1, List.of(-8.0, 0.0)),
                        new JobResult.PieceInfo(1, 2, "w", 1, 1, List.of(-8.0, 0.0)),
                        new JobResult.PieceInfo(2, 3, "w", 1, 1, List.of(-4.0, 8.0)),
                        new JobResult.PieceInfo(3, 4, "w", 1, 1, List.of(-4.0, 8.0))),
                List.of(new Boundary(List.of(0, 1), -4, 0.01, false)),
                thermodynamics,
                (ObjectNode) Codec.readTree("{\"name\": \"dos\", \"parallel\": " + parallel + "}"),
                "ab",
                1,
                2,
                1);
    }

    @Test
    void theCsvHeader_namesTheQuantities_asTheSimulationDoes() {
        String csv = ResultFiles.csv(dos("{\"split\": \"energy-windows\", \"walkers\": 2}"), Chart.DENSITY_OF_STATES);
        assertThat(csv.lines().findFirst()).contains("E,ln g(E),ln g(E).err");
        assertThat(csv.lines().skip(5).findFirst()).contains("8.0,0.693,");
    }

    @Test
    void aDensityOfStatesWithErrorBars_isDrawnWithAnErrorPanelBelow() throws Exception {
        ResultFiles.write(dir, dos("{\"split\": \"energy-windows\", \"walkers\": 2}"), Chart.DENSITY_OF_STATES);
        BufferedImage png = ImageIO.read(dir.resolve("plot.png").toFile());
        assertThat(png.getWidth()).isEqualTo(1000);
        assertThat(png.getHeight()).isEqualTo(650 + 400);
        assertThat(Files.readString(dir.resolve("result.json"))).contains("\"boundaries\"");
        // with thermodynamics, C(T) with its error bars and the exact curve below that
        ResultFiles.write(
                dir,
                dos(
                        "{\"split\": \"energy-windows\", \"walkers\": 2}",
                        Map.of(
                                "T", List.of(1.0, 2.0, 3.0),
                                "C", List.of(0.1, 0.8, 0.3),
                                "C.err", List.of(0.01, 0.02, 0.01),
                                "C.exact", List.of(0.11, 0.79, 0.3))),
                Chart.DENSITY_OF_STATES);
        assertThat(ImageIO.read(dir.resolve("plot.png").toFile()).getHeight()).isEqualTo(650 + 400 + 450);
        assertThat(Files.readString(dir.resolve("result.json"))).contains("\"C.exact\"");
    }
}
