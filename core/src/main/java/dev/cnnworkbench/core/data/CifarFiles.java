package dev.cnnworkbench.core.data;

import dev.cnnworkbench.core.spec.DataSpec;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CIFAR-10 and CIFAR-100 in their binary version. A CIFAR-10 record is 1 label byte and 3,072 pixel bytes (the red,
 * green and blue 32x32 planes, already channel-first); a CIFAR-100 record has 2 label bytes (coarse, then fine). The
 * path is the folder the archive unpacks to ({@code data_batch_1.bin} .. {@code data_batch_5.bin} and
 * {@code test_batch.bin}; CIFAR-100's {@code train.bin} and {@code test.bin}) or one such file (split by
 * {@code data.test_fraction}). Class names come from {@code batches.meta.txt} or
 * {@code fine_label_names.txt}/{@code coarse_label_names.txt} when present. A file whose length is not a whole
 * number of records, or a label out of range, is a {@link DataException} naming the file.
 */
final class CifarFiles implements DataSource {

    static final List<String> CIFAR10_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    private static final int PIXELS = 3 * 32 * 32;

    private final DataSpec spec;
    private final Path root;
    private final List<Path> files;
    private final List<Split> splits;
    private final boolean cifar100;
    private final boolean coarse;

    CifarFiles(DataSpec spec) {
        this.spec = spec;
        this.cifar100 = spec.dataset().equals("cifar100");
        this.coarse = cifar100 && spec.labels().equals("coarse");
        Path path = Path.of(spec.path());
        files = new ArrayList<>();
        splits = new ArrayList<>();
        if (Files.isRegularFile(path)) {
            root = path.toAbsolutePath().getParent();
            files.add(path);
            splits.add(Split.ANY);
        } else if (Files.isDirectory(path)) {
            root = path;
            List<Path> train = cifar100 ? existing(path, "train.bin") : batches(path);
            Path test = path.resolve(cifar100 ? "test.bin" : "test_batch.bin");
            if (train.isEmpty() || !Files.isRegularFile(test)) {
                throw new DataException(path + " lacks the " + (cifar100 ? "CIFAR-100 files train.bin and test.bin"
                        : "CIFAR-10 files data_batch_1.bin .. data_batch_5.bin and test_batch.bin")
                        + " (the binary version; unpack the archive there)");
            }
            train.forEach(f -> {
                files.add(f);
                splits.add(Split.TRAIN);
            });
            files.add(test);
            splits.add(Split.TEST);
        } else {
            throw new DataException((cifar100 ? "CIFAR-100" : "CIFAR-10") + " path " + path + " not found");
        }
    }

    private static List<Path> existing(Path dir, String name) {
        return Files.isRegularFile(dir.resolve(name)) ? List.of(dir.resolve(name)) : List.of();
    }

    private static List<Path> batches(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("data_batch_\\d+\\.bin")).sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private int recordBytes() {
        return (cifar100 ? 2 : 1) + PIXELS;
    }

    private int classes() {
        return cifar100 ? (coarse ? 20 : 100) : 10;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public List<Path> files() {
        return List.copyOf(files);
    }

    @Override
    public String settings() {
        return spec.dataset() + " " + spec.labels() + " c" + channels() + " " + spec.size() + " " + spec.resize();
    }

    private int channels() {
        return spec.channels() == 0 ? 3 : spec.channels();
    }

    @Override
    public DataIndex decode(Stores stores) {
        int count = 0;
        for (Path f : files) {
            count += records(f);
        }
        int h = spec.size().isEmpty() ? 32 : spec.size().get(0);
        int w = spec.size().isEmpty() ? 32 : spec.size().get(1);
        ImageStore store = stores.create(count, channels(), h, w);
        int[] labels = new int[count];
        byte[] splitOf = new byte[count];
        int row = 0;
        byte[] record = new byte[recordBytes()];
        byte[] pixels = new byte[PIXELS];
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                 DataInputStream in = new DataInputStream(raw)) {
                for (int i = 0, n = records(file); i < n; i++, row++) {
                    in.readFully(record);
                    int label = record[coarse ? 0 : recordBytes() - PIXELS - 1] & 0xff;
                    if (label >= classes()) {
                        throw new DataException(file + ": record " + i + " has label " + label + ", out of range 0.."
                                + (classes() - 1) + " for " + spec.dataset() + (cifar100 ? " " + spec.labels() : ""));
                    }
                    System.arraycopy(record, recordBytes() - PIXELS, pixels, 0, PIXELS);
                    store.put(row, Pixels.fit(pixels, 3, 32, 32, channels(), h, w, spec.resize().equals("crop")));
                    labels[row] = label;
                    splitOf[row] = (byte) splits.get(f).ordinal();
                }
            } catch (IOException e) {
                throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return new DataIndex(count, channels(), h, w, labels, splitOf, names(), List.of(), "",
                java.util.Map.of("32x32x3", count));
    }

    private int records(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size == 0 || size % recordBytes() != 0) {
            throw new DataException(file + " is " + size + " bytes, not a whole number of " + recordBytes()
                    + "-byte " + (cifar100 ? "CIFAR-100" : "CIFAR-10") + " records (" + (cifar100 ? 2 : 1)
                    + " label byte(s) + 3072 pixels): truncated, or not the binary version of that data set");
        }
        return (int) (size / recordBytes());
    }

    private List<String> names() {
        String file = cifar100 ? (coarse ? "coarse_label_names.txt" : "fine_label_names.txt") : "batches.meta.txt";
        Path meta = root.resolve(file);
        if (Files.isRegularFile(meta)) {
            try {
                List<String> names = Files.readAllLines(meta, StandardCharsets.UTF_8).stream().map(String::trim)
                        .filter(s -> !s.isEmpty()).toList();
                if (names.size() == classes()) {
                    return names;
                }
            } catch (IOException e) {
                // fall back to the defaults below
            }
        }
        if (!cifar100) {
            return CIFAR10_NAMES;
        }
        List<String> out = new ArrayList<>();
        for (int c = 0; c < classes(); c++) {
            out.add(String.valueOf(c));
        }
        return out;
    }
}
