package dev.cnnworkbench.core.data;

import dev.cnnworkbench.core.spec.DataSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads the train and test sets a {@link DataSpec} names. Fashion-MNIST and MNIST are IDX folders
 * ({@code train-images-idx3-ubyte[.gz]} and friends). Stateless.
 */
public final class Datasets {

    /** The install hint printed when the default data set is missing. */
    public static final String INSTALL_HINT = "install it with: sudo apt-get install dataset-fashion-mnist";
    private static final List<String> IDX_DATASETS = List.of("fashion-mnist", "mnist");

    private Datasets() {
    }

    /** Train and test images of one data set. */
    public record TrainTest(ImageSet train, ImageSet test) {
    }

    public static TrainTest load(DataSpec spec) {
        if (!IDX_DATASETS.contains(spec.dataset())) {
            throw new DataException("data.dataset: unknown data set '" + spec.dataset() + "', expected one of "
                    + String.join(", ", IDX_DATASETS));
        }
        Path dir = Path.of(spec.path());
        if (!Files.isDirectory(dir)) {
            throw new DataException("data folder " + dir + " not found"
                    + (spec.path().equals(DataSpec.DEFAULT_PATH) ? "; " + INSTALL_HINT : ""));
        }
        return new TrainTest(idx(dir, "train"), idx(dir, "t10k"));
    }

    private static ImageSet idx(Path dir, String prefix) {
        IdxFile images = IdxFile.read(find(dir, prefix + "-images-idx3-ubyte"));
        IdxFile labels = IdxFile.read(find(dir, prefix + "-labels-idx1-ubyte"));
        if (images.dims().length != 3 || labels.dims().length != 1) {
            throw new DataException(dir + ": " + prefix + " files have ranks " + images.dims().length + " and "
                    + labels.dims().length + ", expected 3 (images) and 1 (labels)");
        }
        if (images.count() != labels.count()) {
            throw new DataException(dir + ": " + prefix + " has " + images.count() + " images but "
                    + labels.count() + " labels");
        }
        byte[] raw = images.data();
        float[] pixels = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            pixels[i] = (raw[i] & 0xff) / 255f;
        }
        int[] lb = new int[labels.count()];
        int classes = 0;
        for (int i = 0; i < lb.length; i++) {
            lb[i] = labels.data()[i] & 0xff;
            classes = Math.max(classes, lb[i] + 1);
        }
        return new ImageSet(pixels, lb, 1, images.dims()[1], images.dims()[2], Math.max(classes, 10));
    }

    private static Path find(Path dir, String base) {
        for (String name : List.of(base + ".gz", base)) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DataException("missing " + dir.resolve(base + ".gz") + " (or " + base + ")"
                + (dir.toString().equals(DataSpec.DEFAULT_PATH) ? "; " + INSTALL_HINT : ""));
    }
}
