package dev.cnnworkbench.core.data;

import dev.cnnworkbench.core.spec.DataSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Loads the data a {@link DataSpec} names, in any of its formats ({@link IdxFiles}, {@link ImageFolder},
 * {@link Manifest}, {@link CifarFiles}), as store-backed {@link ImageSet}s: decoded once into the {@link DataCache}
 * when one is given (read a row at a time from its file, so memory does not grow with the data), else onto the heap. Images the files
 * do not assign to a split are split into training and test by {@code data.test_fraction} within each class,
 * seeded by {@code data.split_seed}. Every problem with the files is a {@link DataException} naming the file. Stateless.
 */
public final class Datasets {

    /** The install hint printed when the default data set is missing. */
    public static final String INSTALL_HINT = "install it with: sudo apt-get install dataset-fashion-mnist";

    private Datasets() {
    }

    /**
     * One data set's images by split.
     *
     * @param train       the training images (the trainer holds its validation examples out of these)
     * @param test        the test images
     * @param validation  the data's own validation images ({@code val/}, a manifest's {@code val} rows), or
     *                    {@code null} when it has none
     * @param classNames  the name of each class, by label
     * @param fingerprint the data set's {@link Fingerprint}, or empty for data made in memory
     * @param skipped     the files left out under {@code data.on_bad: skip}, each {@code "path: why"}
     * @param seen        the files' own shapes ({@code "HxWxC"}) with their counts, before fitting
     */
    public record TrainTest(ImageSet train, ImageSet test, ImageSet validation, List<String> classNames,
                            String fingerprint, List<String> skipped, java.util.Map<String, Integer> seen) {

        public TrainTest {
            classNames = List.copyOf(classNames);
            skipped = List.copyOf(skipped);
            seen = java.util.Map.copyOf(seen);
        }

        /** Data made in memory: no validation split, classes named by number. */
        public TrainTest(ImageSet train, ImageSet test) {
            this(train, test, null, numbered(train.classes()), "", List.of(), java.util.Map.of());
        }
    }

    /** The classes {@code 0..n-1} named by their numbers. */
    public static List<String> numbered(int n) {
        List<String> out = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            out.add(String.valueOf(c));
        }
        return out;
    }

    /** The data {@code spec} names, decoded onto the heap (no cache). */
    public static TrainTest load(DataSpec spec) {
        return split(spec, DataCache.decode(source(spec)));
    }

    /** The data {@code spec} names, through {@code cache} unless {@code data.cache} is false or it is {@code null}. */
    public static TrainTest load(DataSpec spec, DataCache cache) {
        DataSource source = source(spec);
        return split(spec, cache == null || !spec.cache() ? DataCache.decode(source) : cache.load(source));
    }

    /** The source of the spec's format. */
    static DataSource source(DataSpec spec) {
        if (spec.isIdx()) {
            return new IdxFiles(spec);
        }
        return switch (spec.dataset()) {
            case "folder" -> ImageFolder.source(spec);
            case "manifest" -> Manifest.source(spec);
            case "cifar10", "cifar100" -> new CifarFiles(spec);
            default -> throw new DataException("data.dataset: unknown format '" + spec.dataset() + "', expected one of "
                    + String.join(", ", DataSpec.FORMATS));
        };
    }

    private static TrainTest split(DataSpec spec, DataCache.Entry entry) {
        DataIndex index = entry.index();
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        List<Integer> any = new ArrayList<>();
        for (int row = 0; row < index.count(); row++) {
            if (index.labels()[row] < 0) {
                continue;
            }
            switch (index.split(row)) {
                case TRAIN -> train.add(row);
                case TEST -> test.add(row);
                case VAL -> val.add(row);
                case ANY -> any.add(row);
            }
        }
        if (!any.isEmpty()) {
            heldOut(any, index.labels(), index.classNames().size(), spec, train, test);
        }
        if (!index.skipped().isEmpty()) {
            System.err.println("warning: data.on_bad is skip: left out " + index.skipped().size()
                    + " image(s) that cannot be decoded, e.g. " + String.join("; ",
                    index.skipped().subList(0, Math.min(3, index.skipped().size()))));
        }
        if (train.isEmpty()) {
            throw new DataException(spec.path() + ": no readable training images");
        }
        if (test.isEmpty()) { // a run would train and then record a test accuracy of NaN
            throw new DataException(spec.path() + ": no test images" + (any.isEmpty() ? " (its test split holds no"
                    + " readable image)" : "; data.test_fraction " + spec.testFraction() + " of each class, rounded,"
                    + " holds out none of its " + any.size() + " image(s): raise it, or add images or a test/ folder"));
        }
        int classes = index.classNames().size();
        boolean[] inTrain = new boolean[classes];
        train.forEach(r -> inTrain[index.labels()[r]] = true);
        for (List<Integer> other : List.of(test, val)) {
            for (int r : other) {
                if (!inTrain[index.labels()[r]]) {
                    throw new DataException(spec.path() + ": class '" + index.classNames().get(index.labels()[r])
                            + "' has " + (other == test ? "test" : "validation") + " images but no training images");
                }
            }
        }
        return new TrainTest(view(entry, train, classes), view(entry, test, classes),
                val.isEmpty() ? null : view(entry, val, classes), index.classNames(), index.fingerprint(),
                index.skipped(), index.seen());
    }

    private static ImageSet view(DataCache.Entry entry, List<Integer> rows, int classes) {
        int[] r = rows.stream().mapToInt(Integer::intValue).toArray();
        int[] labels = new int[r.length];
        for (int i = 0; i < r.length; i++) {
            labels[i] = entry.index().labels()[r[i]];
        }
        return ImageSet.view(entry.store(), r, labels, classes);
    }

    /**
     * Splits {@code rows} (all unassigned) into {@code train} and {@code test}: of each class, a seeded random
     * {@code data.test_fraction} (rounded, and at least one image left for training) goes to test, so every class
     * is in both when it has two images or more. Both lists end sorted by row.
     */
    private static void heldOut(List<Integer> rows, int[] labels, int classes, DataSpec spec, List<Integer> train,
                                List<Integer> test) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        rows.forEach(r -> byClass.get(labels[r]).add(r));
        for (int c = 0; c < classes; c++) {
            List<Integer> of = byClass.get(c);
            int[] order = shuffled(of.size(), spec.splitSeed() + c);
            int held = (int) Math.min(Math.max(0, of.size() - 1), Math.round(spec.testFraction() * of.size()));
            for (int i = 0; i < order.length; i++) {
                (i < held ? test : train).add(of.get(order[i]));
            }
        }
        train.sort(null);
        test.sort(null);
    }

    private static int[] shuffled(int n, long seed) {
        return permutation(n, RandomGeneratorFactory.of("L64X128MixRandom").create(seed ^ 0x5EED5EEDL));
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    public static int[] permutation(int n, RandomGenerator random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
