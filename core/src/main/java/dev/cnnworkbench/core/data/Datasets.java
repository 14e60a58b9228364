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
        // rows as int arrays: no boxed object per image
        int[] readable = java.util.stream.IntStream.range(0, index.count()).filter(r -> index.labels()[r] >= 0).toArray();
        int[][] bySplit = groupBy(readable, r -> index.splits()[r], Split.values().length);
        int[] train = bySplit[Split.TRAIN.ordinal()];
        int[] test = bySplit[Split.TEST.ordinal()];
        int[] val = bySplit[Split.VAL.ordinal()];
        int[] any = bySplit[Split.ANY.ordinal()];
        if (any.length > 0) {
            int[][] held = heldOut(any, index.labels(), index.classNames().size(), spec);
            train = sortedUnion(train, held[0]);
            test = sortedUnion(test, held[1]);
        }
        if (!index.skipped().isEmpty()) {
            System.err.println("warning: data.on_bad is skip: left out " + index.skipped().size()
                    + " image(s) that cannot be decoded, e.g. " + String.join("; ",
                    index.skipped().subList(0, Math.min(3, index.skipped().size()))));
        }
        if (train.length == 0) {
            throw new DataException(spec.path() + ": no readable training images");
        }
        if (test.length == 0) { // a run would train and then record a test accuracy of NaN
            throw new DataException(spec.path() + ": no test images" + (any.length == 0 ? " (its test split holds no"
                    + " readable image)" : "; data.test_fraction " + spec.testFraction() + " of each class, rounded,"
                    + " holds out none of its " + any.length + " image(s): raise it, or add images or a test/ folder"));
        }
        int classes = index.classNames().size();
        boolean[] inTrain = new boolean[classes];
        for (int r : train) {
            inTrain[index.labels()[r]] = true;
        }
        for (int[] other : List.of(test, val)) {
            for (int r : other) {
                if (!inTrain[index.labels()[r]]) {
                    throw new DataException(spec.path() + ": class '" + index.classNames().get(index.labels()[r])
                            + "' has " + (other == test ? "test" : "validation") + " images but no training images");
                }
            }
        }
        return new TrainTest(view(entry, train, classes), view(entry, test, classes),
                val.length == 0 ? null : view(entry, val, classes), index.classNames(), index.fingerprint(),
                index.skipped(), index.seen());
    }

    private static int[] sortedUnion(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        java.util.Arrays.sort(out);
        return out;
    }

    private static ImageSet view(DataCache.Entry entry, int[] r, int classes) {
        int[] labels = new int[r.length];
        for (int i = 0; i < r.length; i++) {
            labels[i] = entry.index().labels()[r[i]];
        }
        return ImageSet.view(entry.store(), r, labels, classes);
    }

    /**
     * Splits {@code rows} (all unassigned, ascending) into training and test rows, returned as {@code {train, test}}:
     * of each class, a seeded random {@code data.test_fraction} (rounded, and at least one image left for training)
     * goes to test, so every class is in both when it has two images or more.
     */
    private static int[][] heldOut(int[] rows, int[] labels, int classes, DataSpec spec) {
        int[][] byClass = groupBy(rows, r -> labels[r], classes);
        int total = 0;
        int[] heldPer = new int[classes];
        for (int c = 0; c < classes; c++) {
            int size = byClass[c].length;
            heldPer[c] = (int) Math.min(Math.max(0, size - 1), Math.round(spec.testFraction() * size));
            total += heldPer[c];
        }
        int[] train = new int[rows.length - total];
        int[] test = new int[total];
        int nTrain = 0;
        int nTest = 0;
        for (int c = 0; c < classes; c++) {
            int[] of = byClass[c];
            int[] order = shuffled(of.length, spec.splitSeed() + c);
            for (int i = 0; i < order.length; i++) {
                if (i < heldPer[c]) {
                    test[nTest++] = of[order[i]];
                } else {
                    train[nTrain++] = of[order[i]];
                }
            }
        }
        return new int[][] {train, test};
    }

    /** {@code rows} grouped by {@code key} (0 to {@code groups - 1}), each group in the order of {@code rows}. */
    private static int[][] groupBy(int[] rows, java.util.function.IntUnaryOperator key, int groups) {
        int[] sizes = new int[groups];
        for (int r : rows) {
            sizes[key.applyAsInt(r)]++;
        }
        int[][] out = new int[groups][];
        for (int g = 0; g < groups; g++) {
            out[g] = new int[sizes[g]];
            sizes[g] = 0;
        }
        for (int r : rows) {
            int g = key.applyAsInt(r);
            out[g][sizes[g]++] = r;
        }
        return out;
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
