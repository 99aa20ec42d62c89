package dev.pith.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingChartTest {
    @TempDir
    Path dir;

    @Test
    void writesAPngWithBothSeries() throws IOException {
        Path file = dir.resolve("chart.png");
        new TrainingChart("test", List.of(1.5, 0.6, 0.3, 0.2), List.of(0.7, 0.9, 0.95, 0.97), 2, 0.95).writePng(file);

        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n');
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(TrainingChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(TrainingChart.HEIGHT);
        assertThat(count(image, 0x1F77B4)).as("pixels of the loss colour").isGreaterThan(500);
        assertThat(count(image, 0xE46C0A)).as("pixels of the accuracy colour").isGreaterThan(500);
    }

    @Test
    void axesGetRoundBounds() {
        assertThat(TrainingChart.niceCeiling(1.6)).isEqualTo(2);
        assertThat(TrainingChart.niceCeiling(2.2)).isEqualTo(2.5);
        assertThat(TrainingChart.niceCeiling(0.31)).isEqualTo(0.5);
        assertThat(TrainingChart.niceCeiling(0)).isEqualTo(1);
        assertThat(TrainingChart.accuracyFloor(0.93)).isEqualTo(0.9);
        assertThat(TrainingChart.accuracyFloor(0.78)).isEqualTo(0.75);
        assertThat(TrainingChart.accuracyFloor(0.1)).isEqualTo(0);
    }

    @Test
    void seriesMustHaveOneValuePerEpoch() {
        assertThatThrownBy(() -> new TrainingChart("t", List.of(1.0), List.of(), 0, 0.95))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int count(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
