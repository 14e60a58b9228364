package dev.cnnworkbench.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bench.ImageFixtures;
import dev.cnnworkbench.core.spec.DataSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every format read from real files these tests write, and the clear errors for bad data. */
class DataFormatsTest {

    @TempDir
    Path dir;

    private static DataSpec spec(String format, Path path, int channels, List<Integer> size, String onBad) {
        return new DataSpec(format, path.toString(), 0, 0, List.of(), 0, channels, size, "crop", onBad, "none",
                "fine", 0.25, 7, List.of(), true);
    }

    private static int[] bytes(ImageSet set, int i) {
        float[] px = new float[set.imageSize()];
        set.copyImage(i, px, 0);
        int[] out = new int[px.length];
        for (int k = 0; k < px.length; k++) {
            out[k] = Math.round(px[k] * 255);
        }
        return out;
    }

    @Test
    void readsAPngFolderOfMixedSizesAndSkipsTheCorruptFileWithACount() throws IOException {
        Path data = dir.resolve("shapes");
        ImageFixtures.folder(data, "png", new String[] {"circle", "square", "triangle"}, 8, false, true);
        ImageFixtures.folder(data, "png", new String[] {"circle"}, 2, true, false); // grey 000, 001 overwrite
        Path corrupt = data.resolve("square").resolve("zz-corrupt.png");
        byte[] good = Files.readAllBytes(data.resolve("square").resolve("003.png"));
        Files.write(corrupt, java.util.Arrays.copyOf(good, good.length / 2));

        assertThatThrownBy(() -> Datasets.load(spec("folder", data, 3, List.of(6, 6), "fail")))
                .isInstanceOf(DataException.class).hasMessageContaining(corrupt.toString())
                .hasMessageContaining("data.on_bad");

        Datasets.TrainTest t = Datasets.load(spec("folder", data, 3, List.of(6, 6), "skip"));
        assertThat(t.skipped()).hasSize(1).first().asString().startsWith(corrupt.toString());
        assertThat(t.classNames()).containsExactly("circle", "square", "triangle");
        assertThat(t.train().size() + t.test().size()).isEqualTo(24);
        assertThat(t.test().size()).as("a quarter held out by data.test_fraction").isEqualTo(6);
        assertThat(t.train().channels()).isEqualTo(3);
        assertThat(t.train().height()).isEqualTo(6);
        assertThat(t.fingerprint()).hasSize(64);
        for (int i = 0; i < t.train().size(); i++) {
            int label = t.train().labels()[i];
            int[] px = bytes(t.train(), i);
            if (label == 2) { // triangle: colour image, red plane 80 + i % 7, green 140
                assertThat(px[0]).isBetween(80, 86);
                assertThat(px[36]).isEqualTo(140);
            }
        }
        // grey to one channel keeps the stored values; colour to grey is the BT.601 luma
        Datasets.TrainTest grey = Datasets.load(spec("folder", data, 1, List.of(6, 6), "skip"));
        assertThat(grey.train().channels()).isEqualTo(1);
        int tri = java.util.stream.IntStream.range(0, grey.train().size())
                .filter(i -> grey.train().labels()[i] == 2).findFirst().orElseThrow();
        int r = bytes(t.train(), indexOf(t.train(), 2))[0];
        assertThat(bytes(grey.train(), tri)[0]).isBetween((int) Math.round(0.299 * 80 + 0.587 * 140 + 0.114 * 90) - 2,
                (int) Math.round(0.299 * 86 + 0.587 * 140 + 0.114 * 96) + 2);
        assertThat(r).isPositive();
    }

    private static int indexOf(ImageSet set, int label) {
        for (int i = 0; i < set.size(); i++) {
            if (set.labels()[i] == label) {
                return i;
            }
        }
        throw new AssertionError("no image of class " + label);
    }

    @Test
    void mixedSizesWithoutADataSizeNameTheOddFile() {
        Path data = dir.resolve("mixed");
        ImageFixtures.folder(data, "png", new String[] {"a", "b"}, 3, false, true);
        assertThatThrownBy(() -> Datasets.load(spec("folder", data, 3, List.of(), "fail")))
                .isInstanceOf(DataException.class).hasMessageContaining("data.size").hasMessageContaining(".png is ");
    }

    @Test
    void readsAJpegFolderWithTrainTestAndValSubfolders() {
        Path data = dir.resolve("jpegs");
        ImageFixtures.folder(data.resolve("train"), "jpg", new String[] {"cat", "dog"}, 6, false, false);
        ImageFixtures.folder(data.resolve("test"), "jpg", new String[] {"cat", "dog"}, 3, false, false);
        ImageFixtures.folder(data.resolve("val"), "jpeg", new String[] {"dog"}, 2, true, false);
        Datasets.TrainTest t = Datasets.load(spec("folder", data, 0, List.of(), "fail"));
        assertThat(t.train().size()).isEqualTo(12);
        assertThat(t.test().size()).isEqualTo(6);
        assertThat(t.validation().size()).isEqualTo(2);
        assertThat(t.validation().labels()).containsOnly(1);
        assertThat(t.train().height()).isEqualTo(8);
    }

    @Test
    void anEmptyClassFolderAndATestClassNotInTrainingAreNamed() throws IOException {
        Path data = dir.resolve("bad");
        ImageFixtures.folder(data.resolve("train"), "png", new String[] {"a", "b"}, 2, false, false);
        ImageFixtures.folder(data.resolve("test"), "png", new String[] {"a", "c"}, 2, false, false);
        assertThatThrownBy(() -> Datasets.load(spec("folder", data, 0, List.of(), "fail")))
                .isInstanceOf(DataException.class).hasMessageContaining(data.resolve("test").resolve("c").toString())
                .hasMessageContaining("not a training class");
        Path empty = dir.resolve("empty");
        ImageFixtures.folder(empty, "png", new String[] {"a", "b"}, 2, false, false);
        Files.createDirectories(empty.resolve("c"));
        assertThatThrownBy(() -> Datasets.load(spec("folder", empty, 0, List.of(), "fail")))
                .isInstanceOf(DataException.class).hasMessageContaining(empty.resolve("c").toString())
                .hasMessageContaining("holds no images");
    }

    @Test
    void aClassWhoseImagesAreAllSkippedAndAnEmptyTestSetAreDataErrors() throws IOException {
        Path data = dir.resolve("skipped");
        ImageFixtures.folder(data, "png", new String[] {"good", "bad"}, 4, false, false);
        byte[] png = Files.readAllBytes(data.resolve("bad").resolve("000.png"));
        for (int i = 0; i < 4; i++) {
            Files.write(data.resolve("bad").resolve(String.format("%03d.png", i)), java.util.Arrays.copyOf(png, 20));
        }
        assertThatThrownBy(() -> Datasets.load(spec("folder", data, 3, List.of(6, 6), "skip")))
                .isInstanceOf(DataException.class).hasMessageStartingWith("class 'bad' has no image that can be decoded")
                .hasMessageContaining(data.resolve("bad").resolve("000.png").toString());

        Path few = dir.resolve("few");
        ImageFixtures.folder(few, "png", new String[] {"a", "b"}, 1, false, false);
        assertThatThrownBy(() -> Datasets.load(spec("folder", few, 3, List.of(6, 6), "fail")))
                .isInstanceOf(DataException.class).hasMessageStartingWith(few + ": no test images")
                .hasMessageContaining("data.test_fraction");
    }

    @Test
    void readsCifar10RecordsAndRefusesAFileOfTheWrongLength() throws IOException {
        Path cifar = dir.resolve("cifar");
        ImageFixtures.cifar10(cifar.resolve("data_batch_1.bin"), 30);
        ImageFixtures.cifar10(cifar.resolve("test_batch.bin"), 10);
        Datasets.TrainTest t = Datasets.load(spec("cifar10", cifar, 0, List.of(), "fail"));
        assertThat(t.train().size()).isEqualTo(30);
        assertThat(t.test().size()).isEqualTo(10);
        assertThat(t.classNames()).hasSize(10).startsWith("airplane");
        assertThat(t.train().labels()[13]).isEqualTo(3);
        assertThat(bytes(t.train(), 13)).hasSize(3072).containsOnly(13);

        Files.write(cifar.resolve("data_batch_2.bin"), new byte[3073 * 2 + 5]);
        assertThatThrownBy(() -> Datasets.load(spec("cifar10", cifar, 0, List.of(), "fail")))
                .isInstanceOf(DataException.class).hasMessageContaining("data_batch_2.bin is 6151 bytes");
    }

    @Test
    void readsAManifestAndNamesTheLineOfABadLabelOrMissingFile() throws IOException {
        Path imgs = dir.resolve("m");
        ImageFixtures.folder(imgs, "png", new String[] {"x", "y"}, 4, false, false);
        Path manifest = imgs.resolve("data.csv");
        StringBuilder csv = new StringBuilder("path,label,split\n");
        for (int i = 0; i < 4; i++) {
            csv.append("x/00").append(i).append(".png,0,").append(i < 3 ? "train" : "test").append('\n');
            csv.append("y/00").append(i).append(".png,1,").append(i < 3 ? "train" : "test").append('\n');
        }
        Files.writeString(manifest, csv);
        Datasets.TrainTest t = Datasets.load(spec("manifest", manifest, 0, List.of(), "fail"));
        assertThat(t.train().size()).isEqualTo(6);
        assertThat(t.test().size()).isEqualTo(2);

        Files.writeString(manifest, csv + "y/001.png,5,train\n");
        DataSpec named = new DataSpec("manifest", manifest.toString(), 0, 0, List.of(), 0, 0, List.of(), "crop",
                "fail", "none", "fine", 0.2, 0, List.of("ex", "why"), true);
        assertThatThrownBy(() -> Datasets.load(named)).isInstanceOf(DataException.class)
                .hasMessageContaining(manifest + " line 10").hasMessageContaining("label 5 is out of range 0..1");
        Files.writeString(manifest, csv + "y/404.png,1,train\n");
        assertThatThrownBy(() -> Datasets.load(spec("manifest", manifest, 0, List.of(), "fail")))
                .isInstanceOf(DataException.class).hasMessageContaining("line 10").hasMessageContaining("404.png not found");
    }

    @Test
    void theCacheIsReusedAndRebuiltWhenAFileChanges() {
        Path data = dir.resolve("cached");
        ImageFixtures.folder(data, "png", new String[] {"a", "b"}, 5, false, false);
        DataCache cache = new DataCache(dir.resolve("cache"));
        DataSource source = Datasets.source(spec("folder", data, 0, List.of(), "fail"));
        DataCache.Entry first = cache.load(source);
        DataCache.Entry again = cache.load(Datasets.source(spec("folder", data, 0, List.of(), "fail")));
        assertThat(first.reused()).isFalse();
        assertThat(again.reused()).isTrue();
        assertThat(again.index().fingerprint()).isEqualTo(first.index().fingerprint());
        byte[] a = new byte[first.store().rowBytes()];
        byte[] b = new byte[a.length];
        first.store().get(7, a);
        again.store().get(7, b);
        assertThat(b).isEqualTo(a);

        ImageFixtures.write(data.resolve("b").resolve("002.png"), ImageFixtures.image(0, 99, 8, 8, false));
        DataCache.Entry changed = cache.load(Datasets.source(spec("folder", data, 0, List.of(), "fail")));
        assertThat(changed.reused()).isFalse();
        assertThat(changed.index().fingerprint()).isNotEqualTo(first.index().fingerprint());
    }

    @Test
    void statisticsComeFromTheSetGivenAndNormaliseAsRead() {
        Path cifar = dir.resolve("c1");
        ImageFixtures.cifar10(cifar.resolve("one.bin"), 20);
        Datasets.TrainTest t = Datasets.load(spec("cifar10", cifar.resolve("one.bin"), 0, List.of(), "fail"));
        ChannelStats stats = ChannelStats.of(t.train());
        assertThat(t.train().size()).as("one of each class's two images held out").isEqualTo(10);
        double mean = 0;
        for (int i = 0; i < t.train().size(); i++) {
            mean += bytes(t.train(), i)[0] / 255.0;
        }
        mean /= t.train().size();
        assertThat(stats.mean()[0]).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-6));
        Normalization n = stats.normalization("mean");
        float[] px = new float[t.train().imageSize()];
        t.train().normalized(n).copyImage(0, px, 0);
        assertThat(px[0]).isCloseTo((float) (bytes(t.train(), 0)[0] / 255.0 - mean), org.assertj.core.data.Offset.offset(1e-5f));
    }
}
