package dev.cnnworkbench.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.spec.DataSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {

    private static final Path FASHION = Path.of(DataSpec.DEFAULT_PATH);

    @Test
    void readsRealFashionMnistTrainAndTestSets() {
        Datasets.TrainTest data = Datasets.load(new DataSpec("fashion-mnist", DataSpec.DEFAULT_PATH, 0, 0));
        assertThat(data.train().size()).isEqualTo(60_000);
        assertThat(data.test().size()).isEqualTo(10_000);
        assertThat(data.train().height()).isEqualTo(28);
        assertThat(data.train().width()).isEqualTo(28);
        assertThat(data.train().classes()).isEqualTo(10);
        int[] counts = new int[10];
        Arrays.stream(data.test().labels()).forEach(l -> counts[l]++);
        assertThat(counts).containsOnly(1_000);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : data.train().pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void readsPlainAndGzippedFilesAlike(@TempDir Path dir) throws IOException {
        Path plain = dir.resolve("t10k-labels-idx1-ubyte");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(FASHION.resolve("t10k-labels-idx1-ubyte.gz")))) {
            Files.write(plain, in.readAllBytes());
        }
        IdxFile gz = IdxFile.read(FASHION.resolve("t10k-labels-idx1-ubyte.gz"));
        IdxFile raw = IdxFile.read(plain);
        assertThat(raw.dims()).containsExactly(10_000);
        assertThat(raw.data()).isEqualTo(gz.data());
    }

    @Test
    void rejectsTruncatedFileNamingIt(@TempDir Path dir) throws IOException {
        byte[] whole;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(FASHION.resolve("t10k-images-idx3-ubyte.gz")))) {
            whole = in.readAllBytes();
        }
        Path cut = dir.resolve("t10k-images-idx3-ubyte");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> IdxFile.read(cut))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void rejectsFileThatIsNotIdx(@TempDir Path dir) throws IOException {
        Path bogus = dir.resolve("bogus");
        Files.writeString(bogus, "hello, not an idx file");
        assertThatThrownBy(() -> IdxFile.read(bogus)).isInstanceOf(DataException.class)
                .hasMessageContaining("is not an IDX file");
    }

    @Test
    void missingFolderExplainsWhatToInstall(@TempDir Path dir) {
        assertThatThrownBy(() -> Datasets.load(new DataSpec("fashion-mnist", dir.resolve("nope").toString(), 0, 0)))
                .isInstanceOf(DataException.class).hasMessageContaining("not found");
        assertThatThrownBy(() -> Datasets.load(new DataSpec("fashion-mnist", dir.toString(), 0, 0)))
                .isInstanceOf(DataException.class).hasMessageContaining("missing " + dir.resolve("train-images-idx3-ubyte.gz"));
    }
}
