package dev.cnnworkbench.core.data;

import dev.cnnworkbench.core.spec.DataSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An IDX folder (the MNIST family: {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
 * {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}). Fashion-MNIST's classes get their
 * authors' names; other IDX data sets are named by label.
 */
final class IdxFiles implements DataSource {

    /** Fashion-MNIST's labels 0 to 9, as its authors name them. */
    static final List<String> FASHION_MNIST = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final DataSpec spec;
    private final Path dir;
    private final List<Path> files;

    IdxFiles(DataSpec spec) {
        this.spec = spec;
        this.dir = Path.of(spec.path());
        if (!Files.isDirectory(dir)) {
            throw new DataException("data folder " + dir + " not found" + hint());
        }
        files = List.of(find("train-images-idx3-ubyte"), find("train-labels-idx1-ubyte"),
                find("t10k-images-idx3-ubyte"), find("t10k-labels-idx1-ubyte"));
    }

    private String hint() {
        return spec.path().equals(DataSpec.DEFAULT_PATH) ? "; " + Datasets.INSTALL_HINT : "";
    }

    private Path find(String base) {
        for (String name : List.of(base + ".gz", base)) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DataException("missing " + dir.resolve(base + ".gz") + " (or " + base + ")" + hint());
    }

    @Override
    public Path root() {
        return dir;
    }

    @Override
    public List<Path> files() {
        return files;
    }

    @Override
    public String settings() {
        return "idx " + spec.dataset() + " c" + channels() + " " + spec.size() + " " + spec.resize();
    }

    private int channels() {
        return spec.channels() == 0 ? 1 : spec.channels();
    }

    @Override
    public DataIndex decode(Stores stores) {
        IdxFile trainX = IdxFile.read(files.get(0));
        IdxFile trainY = IdxFile.read(files.get(1));
        check(trainX, trainY, "train");
        int h = trainX.dims()[1];
        int w = trainX.dims()[2];
        IdxFile testX = IdxFile.read(files.get(2));
        IdxFile testY = IdxFile.read(files.get(3));
        check(testX, testY, "t10k");
        if (testX.dims()[1] != h || testX.dims()[2] != w) {
            throw new DataException(files.get(2) + " holds " + testX.dims()[1] + "x" + testX.dims()[2]
                    + " images but the training images are " + h + "x" + w);
        }
        int th = spec.size().isEmpty() ? h : spec.size().get(0);
        int tw = spec.size().isEmpty() ? w : spec.size().get(1);
        int count = trainX.count() + testX.count();
        ImageStore store = stores.create(count, channels(), th, tw);
        int[] labels = new int[count];
        byte[] splits = new byte[count];
        int classes = 0;
        int row = 0;
        for (IdxFile[] part : new IdxFile[][] {{trainX, trainY}, {testX, testY}}) {
            byte[] img = new byte[h * w];
            for (int i = 0; i < part[0].count(); i++, row++) {
                System.arraycopy(part[0].data(), i * h * w, img, 0, h * w);
                store.put(row, Pixels.fit(img, 1, h, w, channels(), th, tw, spec.resize().equals("crop")));
                labels[row] = part[1].data()[i] & 0xff;
                splits[row] = (byte) (part[0] == trainX ? Split.TRAIN : Split.TEST).ordinal();
                classes = Math.max(classes, labels[row] + 1);
            }
        }
        classes = Math.max(classes, 10);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add(spec.dataset().equals("fashion-mnist") && classes == 10 ? FASHION_MNIST.get(c) : String.valueOf(c));
        }
        return new DataIndex(count, channels(), th, tw, labels, splits, names, List.of(), "",
                java.util.Map.of(h + "x" + w + "x1", count));
    }

    private void check(IdxFile images, IdxFile labels, String prefix) {
        if (images.dims().length != 3 || labels.dims().length != 1) {
            throw new DataException(dir + ": " + prefix + " files have ranks " + images.dims().length + " and "
                    + labels.dims().length + ", expected 3 (images) and 1 (labels)");
        }
        if (images.count() != labels.count()) {
            throw new DataException(dir + ": " + prefix + " has " + images.count() + " images but "
                    + labels.count() + " labels");
        }
    }
}
