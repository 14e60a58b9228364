package dev.cnnworkbench.core.data;

import dev.cnnworkbench.core.spec.DataSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.IntStream;

/**
 * A data set of image files (from a {@link ImageFolder} or a {@link Manifest}): decodes them in parallel with
 * {@link ImageDecoder} and fits each to the spec's channels and size ({@link Pixels}). Without {@code data.size},
 * every image must have the first image's size. With {@code data.on_bad: skip}, an image that cannot be decoded
 * is left out (label -1) and listed; with {@code fail} it is a {@link DataException} naming the file.
 */
final class ImageFiles implements DataSource {

    /** One image: its file, class and split. */
    record Entry(Path file, int label, Split split) {
    }

    private final Path root;
    private final List<Entry> entries;
    private final List<String> classNames;
    private final DataSpec spec;
    private final List<Path> extraFiles;

    /**
     * @param extraFiles files besides the images that define the data (a manifest), for the fingerprint
     */
    ImageFiles(Path root, List<Entry> entries, List<String> classNames, DataSpec spec, List<Path> extraFiles) {
        this.root = root;
        this.entries = List.copyOf(entries);
        this.classNames = List.copyOf(classNames);
        this.spec = spec;
        this.extraFiles = List.copyOf(extraFiles);
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public List<Path> files() {
        List<Path> out = new ArrayList<>(extraFiles);
        entries.forEach(e -> out.add(e.file()));
        return out;
    }

    @Override
    public String settings() {
        return "images c" + channels() + " " + spec.size() + " " + spec.resize() + " " + spec.onBad() + " "
                + classNames + " " + entries.stream().map(e -> e.label() + e.split().label()).toList().hashCode();
    }

    private int channels() {
        return spec.channels() == 0 ? 3 : spec.channels();
    }

    @Override
    public DataIndex decode(Stores stores) {
        int[] size = targetSize();
        int channels = channels();
        ImageStore store = stores.create(entries.size(), channels, size[0], size[1]);
        ConcurrentSkipListMap<Integer, String> bad = new ConcurrentSkipListMap<>();
        java.util.concurrent.ConcurrentHashMap<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
        boolean skip = spec.onBad().equals("skip");
        IntStream.range(0, entries.size()).parallel().forEach(i -> {
            Path file = entries.get(i).file();
            try {
                ImageDecoder.Decoded img = ImageDecoder.decode(file);
                seen.merge(img.height() + "x" + img.width() + "x" + img.channels(), 1, Integer::sum);
                if (spec.size().isEmpty() && (img.height() != size[0] || img.width() != size[1])) {
                    throw new DataException(file + " is " + img.height() + "x" + img.width() + " but "
                            + entries.get(0).file() + " is " + size[0] + "x" + size[1] + " (height x width); set"
                            + " data.size (and data.resize: crop or stretch) to fit images of mixed sizes");
                }
                store.put(i, Pixels.fit(img.pixels(), img.channels(), img.height(), img.width(), channels, size[0],
                        size[1], spec.resize().equals("crop")));
            } catch (ImageDecoder.BadImage e) {
                if (!skip) {
                    throw new DataException(file + ": " + e.getMessage() + "; fix or remove it, or set data.on_bad"
                            + " to skip to leave such files out");
                }
                bad.put(i, file + ": " + e.getMessage());
            }
        });
        int[] labels = new int[entries.size()];
        byte[] splits = new byte[entries.size()];
        int[] readable = new int[classNames.size()];
        String[] firstBad = new String[classNames.size()];
        for (int i = 0; i < labels.length; i++) {
            int label = entries.get(i).label();
            labels[i] = bad.containsKey(i) ? -1 : label;
            splits[i] = (byte) entries.get(i).split().ordinal();
            if (bad.containsKey(i)) {
                firstBad[label] = firstBad[label] == null ? bad.get(i) : firstBad[label];
            } else {
                readable[label]++;
            }
        }
        for (int c = 0; c < readable.length; c++) {
            if (readable[c] == 0 && firstBad[c] != null) { // skipped, the class would silently vanish
                throw new DataException("class '" + classNames.get(c) + "' has no image that can be decoded, e.g. "
                        + firstBad[c] + "; fix its images, or remove the class");
            }
        }
        return new DataIndex(entries.size(), channels, size[0], size[1], labels, splits, classNames,
                new ArrayList<>(bad.values()), "", seen);
    }

    /** {@code data.size}, or the first readable image's size. */
    private int[] targetSize() {
        if (!spec.size().isEmpty()) {
            return new int[] {spec.size().get(0), spec.size().get(1)};
        }
        String firstProblem = null;
        for (Entry e : entries) {
            try {
                return ImageDecoder.size(e.file());
            } catch (ImageDecoder.BadImage bad) {
                if (!spec.onBad().equals("skip")) {
                    throw new DataException(e.file() + ": " + bad.getMessage() + "; fix or remove it, or set"
                            + " data.on_bad to skip to leave such files out");
                }
                firstProblem = firstProblem == null ? e.file() + ": " + bad.getMessage() : firstProblem;
            }
        }
        throw new DataException(root + ": no readable image" + (firstProblem == null ? "" : " (" + firstProblem + ")"));
    }
}
