package dev.cnnworkbench.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cnnworkbench.core.diagnostics.TinyRuns.Recorded;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files a tiny run writes: histograms per epoch, confusion matrices, misclassified images, filters. */
class ArtifactsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static long sum(JsonNode counts) {
        long s = 0;
        for (JsonNode c : counts) {
            s += c.asLong();
        }
        return s;
    }

    private static JsonNode entry(JsonNode histograms, String layer, String tensor) {
        for (JsonNode h : histograms.get("histograms")) {
            if (h.get("layer").asText().equals(layer) && h.get("tensor").asText().equals(tensor)) {
                return h;
            }
        }
        throw new AssertionError("no " + tensor + " histogram for " + layer);
    }

    private static BufferedImage png(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as(file.getFileName().toString()).isNotNull();
        return image;
    }

    @Test
    void aRunWritesReadableJsonAndPngArtifactsAndAnnouncesEach() throws IOException {
        Recorded r = TinyRuns.healthy().run(dir);

        assertThat(r.artifacts).extracting(Recorded.Artifact::kind).containsExactlyInAnyOrder("histogram",
                "histogram", "confusion", "image", "confusion", "image", "image", "image", "checkpoint", "checkpoint",
                "model", "normalization");
        assertThat(r.artifacts).allSatisfy(a -> {
            assertThat(a.file()).exists().startsWith(dir);
            assertThat(a.mediaType()).isEqualTo(a.file().toString().endsWith(".json") ? "application/json"
                    : a.file().toString().endsWith(".png") ? "image/png" : "application/zip");
        });
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "histograms-epoch-000.json", "histograms-epoch-001.json", "confusion-validation.json",
                    "confusion-validation.png", "confusion-test.json", "confusion-test.png", "misclassified-test.png",
                    "first-layer-filters.png", "checkpoint-epoch-001.zip", "checkpoint-epoch-002.zip", "model.zip",
                    "normalization.json");
        }

        JsonNode h = JSON.readTree(dir.resolve("histograms-epoch-001.json").toFile());
        assertThat(h.get("epoch").asInt()).isEqualTo(1);
        assertThat(h.get("step").asLong()).isEqualTo(15);
        assertThat(h.get("bins").asInt()).isEqualTo(30);
        JsonNode w = entry(h, "conv1", "weights");
        assertThat(w.get("edges")).hasSize(31);
        assertThat(w.get("counts")).hasSize(30);
        assertThat(sum(w.get("counts"))).as("8 filters 1x5x5").isEqualTo(200);
        assertThat(w.get("edges").get(0).asDouble()).isLessThan(w.get("edges").get(30).asDouble());
        assertThat(sum(entry(h, "dense1", "weights").get("counts"))).isEqualTo(8 * 12 * 12 * 32);
        assertThat(sum(entry(h, "output1", "weights").get("counts"))).isEqualTo(32 * 10);
        assertThat(sum(entry(h, "conv1", "activations").get("counts"))).as("64 probe images, 8x12x12 each")
                .isEqualTo(64 * 8 * 12 * 12);
        assertThat(sum(entry(h, "output1", "activations").get("counts"))).isEqualTo(64 * 10);
        assertThat(entry(h, "dense1", "activations").get("edges").get(0).asDouble()).as("ReLU outputs").isZero();

        JsonNode test = JSON.readTree(dir.resolve("confusion-test.json").toFile());
        assertThat(test.get("set").asText()).isEqualTo("test");
        assertThat(test.get("classes").get(0).asText()).isEqualTo("T-shirt/top");
        assertThat(test.get("classes").get(9).asText()).isEqualTo("Ankle boot");
        assertThat(test.get("matrix")).hasSize(10).allSatisfy(row -> assertThat(row).hasSize(10));
        long total = 0;
        for (JsonNode row : test.get("matrix")) {
            total += sum(row);
        }
        assertThat(total).isEqualTo(200).isEqualTo(test.get("total").asLong());
        assertThat(test.get("accuracy").asDouble()).isEqualTo(r.named("test_accuracy").get(0).value());
        JsonNode validation = JSON.readTree(dir.resolve("confusion-validation.json").toFile());
        assertThat(validation.get("total").asLong()).isEqualTo(100);
        var valAccuracy = r.named("val_accuracy");
        assertThat(validation.get("accuracy").asDouble()).as("the last epoch's validation, of the same network")
                .isEqualTo(valAccuracy.get(valAccuracy.size() - 1).value());

        BufferedImage confusion = png(dir.resolve("confusion-test.png"));
        assertThat(confusion.getWidth()).isGreaterThan(10 * ConfusionPlot.CELL);
        BufferedImage wrong = png(dir.resolve("misclassified-test.png"));
        assertThat(wrong.getWidth()).isGreaterThanOrEqualTo(4 * 112);
        assertThat(wrong.getHeight()).as("4 rows of 84-pixel images").isGreaterThan(4 * 84);
        BufferedImage filters = png(dir.resolve("first-layer-filters.png"));
        assertThat(filters.getHeight()).isGreaterThan(40);
    }

    @Test
    void histogramsCanBeTurnedOffAndARunWithoutAFolderWritesNothing() throws IOException {
        Recorded off = TinyRuns.healthy().epochs(1).diagnostics(0, false).run(dir);
        assertThat(off.artifacts).extracting(Recorded.Artifact::kind).doesNotContain("histogram")
                .contains("confusion", "image");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("histograms"))
                    .noneMatch(n -> n.endsWith(".partial"));
        }
        Recorded none = TinyRuns.healthy().epochs(1).run(null);
        assertThat(none.artifacts).isEmpty();
    }

    @Test
    void histogramsBinFromMinimumToMaximumAndKeepNonFiniteValuesApart() {
        Histogram h = Histogram.of(new float[] {0, 1, 2, 3, 4, Float.NaN, 4, 10}, 5);
        assertThat(h.edges()).containsExactly(0, 2, 4, 6, 8, 10);
        assertThat(h.counts()).containsExactly(2, 2, 2, 0, 1);
        assertThat(h.nonFinite()).isEqualTo(1);
        assertThat(h.total()).isEqualTo(7);
        assertThat(h.mean()).isCloseTo(24.0 / 7, org.assertj.core.api.Assertions.within(1e-9));
        Histogram constant = Histogram.of(new float[] {3, 3}, 30);
        assertThat(constant.counts()).containsExactly(2);
        assertThat(constant.edges()).containsExactly(2.5, 3.5);
    }

    @Test
    void aConfusionMatrixCountsTrueAgainstPredictedClasses() {
        ConfusionMatrix m = ConfusionMatrix.of("test", List.of("a", "b", "c"), new int[] {0, 0, 1, 2, 2, 2},
                new int[] {0, 1, 1, 2, 2, 0});
        assertThat(m.counts()).isDeepEqualTo(new long[][] {{1, 1, 0}, {0, 1, 0}, {1, 0, 2}});
        assertThat(m.accuracy()).isEqualTo(4.0 / 6);
        assertThat(m.recall(2)).isEqualTo(2.0 / 3);
        assertThat(m.toJson()).containsEntry("total", 6L).containsEntry("rows", "true class");
        assertThat(Misclassified.first(new int[] {0, 0, 1, 2, 2, 2}, new int[] {0, 1, 1, 2, 2, 0}, 16))
                .containsExactly(1, 5);
        assertThat(dev.cnnworkbench.core.data.Datasets.numbered(3)).containsExactly("0", "1", "2");
    }
}
