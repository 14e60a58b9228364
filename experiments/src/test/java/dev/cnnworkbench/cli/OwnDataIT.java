package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.bench.ImageFixtures;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.spec.DataSpec;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * People's own data, end to end through {@code workbench run}: a PNG folder (colour and grey, mixed sizes, one
 * corrupt file), a JPEG folder with train/test subfolders, a CIFAR-10 binary file and a CSV manifest each train a
 * tiny network for an epoch, and its metrics and data provenance land in H2; data that cannot be read records no run
 * and exits 3; Fashion-MNIST written out as PNG files trains to the IDX path's accuracy.
 */
class OwnDataIT {

    @TempDir
    Path home;

    @TempDir
    Path files;

    private Path spec(String data, int channels, int size, int epochs, int validation) throws IOException {
        return spec(data, channels, size, epochs, validation, 16);
    }

    private Path spec(String data, int channels, int size, int epochs, int validation, int batch) throws IOException {
        String json = """
                {"name": "own", "data": %s,
                 "model": {"input": [%d, %d, %d], "init": "xavier", "layers": [
                   {"type": "conv2d", "filters": 4, "kernel": 3, "activation": "relu"},
                   {"type": "maxpool", "kernel": 2, "stride": 2},
                   {"type": "output", "units": 0, "loss": "softmax"}]},
                 "optimizer": {"type": "adam", "lr": 0.01},
                 "train": {"epochs": %d, "batch": %d, "seed": 7, "validation": %d}}
                """.formatted(data, channels, size, size, epochs, batch, validation);
        Path p = files.resolve("spec-" + System.nanoTime() + ".json");
        Files.writeString(p, json);
        return p;
    }

    private RunSummary lastRun() {
        try (Database db = Database.openEmbedded(home)) {
            return new RunQueries(db).listRuns().get(0);
        }
    }

    private String provenance(RunSummary run) {
        try (Database db = Database.openEmbedded(home)) {
            return String.valueOf(new RunQueries(db).specAndProvenance(run.id()).get("provenance"));
        }
    }

    private void trainsAndLands(Path spec, String... expectInProvenance) {
        var run = InProcessCli.run("run", spec.toString(), "--home", home.toString());
        assertThat(run.exitCode()).as(run.out()).isZero();
        RunSummary summary = lastRun();
        assertThat(summary.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(summary.metrics()).containsKeys("train_loss", "test_accuracy", "data_wait_fraction");
        assertThat(summary.metrics().get("data_wait_fraction")).isBetween(0.0, 1.0);
        assertThat(provenance(summary)).contains("data.fingerprint").contains(expectInProvenance);
    }

    @Test
    void trainsOnAPngFolderJpegFolderCifarFileAndManifest() throws IOException {
        Path png = files.resolve("png");
        ImageFixtures.folder(png, "png", new String[] {"bolt", "nut", "washer"}, 20, false, true);
        ImageFixtures.folder(png, "png", new String[] {"nut"}, 5, true, true);
        Path corrupt = Files.write(png.resolve("washer").resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        var refused = InProcessCli.run("run", spec("{\"dataset\": \"folder\", \"path\": \"" + png
                + "\", \"size\": 12}", 3, 12, 1, 0).toString(), "--home", home.toString());
        assertThat(refused.exitCode()).as(refused.out()).isEqualTo(3);
        assertThat(refused.err()).contains(corrupt.toString());
        assertThat(lastRunOrNull()).as("nothing recorded for data that cannot be read").isNull();

        trainsAndLands(spec("{\"dataset\": \"folder\", \"path\": \"" + png + "\", \"size\": 12, \"on_bad\": \"skip\","
                + " \"normalize\": \"mean_std\"}", 3, 12, 1, 0), "bolt,nut,washer", "\"data.skipped\":\"1\"", "data.std");

        Path jpeg = files.resolve("jpeg");
        ImageFixtures.folder(jpeg.resolve("train"), "jpg", new String[] {"a", "b"}, 24, true, false);
        ImageFixtures.folder(jpeg.resolve("test"), "jpg", new String[] {"a", "b"}, 6, true, false);
        trainsAndLands(spec("{\"dataset\": \"folder\", \"path\": \"" + jpeg + "\", \"channels\": 1}", 1, 8, 1, 8),
                "\"data.count.test\":\"12\"");

        Path cifar = ImageFixtures.cifar10(files.resolve("cifar").resolve("batch.bin"), 100);
        trainsAndLands(spec("{\"dataset\": \"cifar10\", \"path\": \"" + cifar + "\"}", 3, 32, 1, 0), "airplane");

        Path csv = files.resolve("png").resolve("list.csv");
        StringBuilder rows = new StringBuilder("path,label\n");
        for (String c : List.of("bolt", "nut")) {
            for (int i = 0; i < 15; i++) {
                rows.append(c).append("/").append(String.format("%03d.png", i)).append(',').append(c).append('\n');
            }
        }
        Files.writeString(csv, rows);
        trainsAndLands(specRect(csv), "\"data.classes\":\"bolt,nut\"");

        var inspect = InProcessCli.run("data", "inspect", png.toString(), "--format", "json", "--set",
                "data.size=12", "--set", "data.on_bad=\"skip\"", "--grid", files.resolve("grid.png").toString());
        assertThat(inspect.exitCode()).as(inspect.out()).isZero();
        JsonObject report = new JsonObject(inspect.out().substring(inspect.out().indexOf('{')));
        assertThat(report.getJsonArray("classes").getJsonObject(1).getString("name")).isEqualTo("nut");
        assertThat(report.getJsonArray("unreadable")).hasSize(1);
        assertThat(report.getJsonObject("seen").getMap()).containsKeys("8x10x3", "14x18x3");
        assertThat(report.getJsonArray("mean")).hasSize(3);
        BufferedImage grid = javax.imageio.ImageIO.read(files.resolve("grid.png").toFile());
        assertThat(grid.getHeight()).isGreaterThan(3 * 12);
    }

    private Path specRect(Path csv) throws IOException {
        String json = """
                {"name": "own-manifest", "data": {"dataset": "manifest", "path": "%s", "size": [10, 12]},
                 "model": {"input": [3, 10, 12], "init": "xavier", "layers": [
                   {"type": "conv2d", "filters": 4, "kernel": 3, "activation": "relu"},
                   {"type": "output", "units": 0, "loss": "softmax"}]},
                 "optimizer": {"type": "adam", "lr": 0.01},
                 "train": {"epochs": 1, "batch": 16, "seed": 7}}
                """.formatted(csv);
        Path p = files.resolve("manifest-spec.json");
        Files.writeString(p, json);
        return p;
    }

    private RunSummary lastRunOrNull() {
        try (Database db = Database.openEmbedded(home)) {
            List<RunSummary> runs = new RunQueries(db).listRuns();
            return runs.isEmpty() ? null : runs.get(0);
        }
    }

    @Test
    void fashionMnistWrittenAsPngTrainsToTheIdxAccuracy() throws IOException {
        Datasets.TrainTest all = Datasets.load(new DataSpec("fashion-mnist", DataSpec.DEFAULT_PATH, 0, 0));
        // the same 1,000 training and 500 test images, as PNG files and as IDX files in the folder's order
        int[] train = byClass(all.train(), 1000);
        int[] test = byClass(all.test(), 500);
        Path png = files.resolve("fashion-png");
        write(all.train(), train, png.resolve("train"), all.classNames());
        write(all.test(), test, png.resolve("test"), all.classNames());
        Path idx = files.resolve("fashion-idx");
        idx(all.train(), train, idx, "train");
        idx(all.test(), test, idx, "t10k");

        var a = InProcessCli.run("run", spec("{\"dataset\": \"fashion-mnist\", \"path\": \"" + idx + "\"}", 1, 28, 1, 0, 32)
                .toString(), "--home", home.toString());
        assertThat(a.exitCode()).as(a.out()).isZero();
        double idxAccuracy = lastRun().metrics().get("test_accuracy");
        var b = InProcessCli.run("run", spec("{\"dataset\": \"folder\", \"path\": \"" + png + "\", \"channels\": 1}",
                1, 28, 1, 0, 32).toString(), "--home", home.toString());
        assertThat(b.exitCode()).as(b.out()).isZero();
        double pngAccuracy = lastRun().metrics().get("test_accuracy");
        assertThat(idxAccuracy).isGreaterThan(0.5);
        assertThat(pngAccuracy).isCloseTo(idxAccuracy, org.assertj.core.data.Offset.offset(0.01));
    }

    /** The first {@code n} images of {@code set}, reordered by class (as a folder lists them). */
    private static int[] byClass(ImageSet set, int n) {
        return java.util.stream.IntStream.range(0, n).boxed()
                .sorted(java.util.Comparator.comparingInt(i -> set.labels()[i])).mapToInt(Integer::intValue).toArray();
    }

    /** IDX image and label files of {@code set}'s images {@code rows}, in that order. */
    private static void idx(ImageSet set, int[] rows, Path dir, String prefix) throws IOException {
        Files.createDirectories(dir);
        java.io.ByteArrayOutputStream images = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream x = new java.io.DataOutputStream(images);
        x.writeInt(0x0803);
        x.writeInt(rows.length);
        x.writeInt(set.height());
        x.writeInt(set.width());
        java.io.ByteArrayOutputStream labels = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream y = new java.io.DataOutputStream(labels);
        y.writeInt(0x0801);
        y.writeInt(rows.length);
        for (int r : rows) {
            for (float v : set.pixels(r, r + 1)) {
                x.write(Math.round(v * 255));
            }
            y.write(set.labels()[r]);
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.toByteArray());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.toByteArray());
    }

    /** Images {@code rows} of {@code set} as grey PNGs, {@code dir/CLASS/NNNNN.png} (names sort in row order). */
    private static void write(ImageSet set, int[] rows, Path dir, List<String> names) {
        for (int k = 0; k < rows.length; k++) {
            int i = rows[k];
            float[] px = set.pixels(i, i + 1);
            BufferedImage img = new BufferedImage(set.width(), set.height(), BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < px.length; p++) {
                img.getRaster().setSample(p % set.width(), p / set.width(), 0, Math.round(px[p] * 255));
            }
            String cls = String.format("%02d-%s", set.labels()[i], names.get(set.labels()[i]).replace('/', '-'));
            ImageFixtures.write(dir.resolve(cls).resolve(String.format("%05d.png", k)), img);
        }
    }
}
