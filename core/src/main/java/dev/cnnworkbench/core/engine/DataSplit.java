package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.data.ChannelStats;
import dev.cnnworkbench.core.data.ClassSubset;
import dev.cnnworkbench.core.data.DataCache;
import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.data.Normalization;
import dev.cnnworkbench.core.spec.DataSpec;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The three sets one run uses. {@code data.classes} first keeps (and relabels) the listed classes of the training
 * and test data; the validation set is the data's own validation split when it has one, else a seeded random
 * hold-out of {@code train.validation} training examples; of what remains, {@code data.per_class} caps the examples
 * of each class and {@code data.limit} the total. With {@code data.normalize}, the per-channel statistics of the
 * resulting training set (and of nothing else) normalise all three sets; with {@code data.normalize: source}, the
 * statistics the saved network of {@code model.init} was trained with do. Immutable.
 *
 * @param classNames the name of each class, by label
 * @param provenance what the run records about its data: {@code data.fingerprint}, {@code data.classes} (the
 *                   names), {@code data.count.train}/{@code .validation}/{@code .test}, {@code data.shape},
 *                   {@code data.skipped}, {@code data.normalize}, {@code data.mean}/{@code data.std} when
 *                   normalised, and {@code data.normalize.from} ({@code model.init.from}) when inherited
 */
public record DataSplit(ImageSet train, ImageSet validation, ImageSet test, List<String> classNames,
                        Map<String, String> provenance) {

    public DataSplit {
        classNames = List.copyOf(classNames);
        provenance = Map.copyOf(provenance);
    }

    /** A split of data made in memory: classes named by number, no provenance. */
    public DataSplit(ImageSet train, ImageSet validation, ImageSet test) {
        this(train, validation, test, Datasets.numbered(train.classes()), Map.of());
    }

    /** Loads the data a spec names (decoded on the heap, no cache) and splits it as the spec says. */
    public static DataSplit of(ExperimentSpec spec) {
        return of(spec, Datasets.load(spec.data()));
    }

    /**
     * Loads the data a spec names through {@code cache} ({@code null}: none) and splits it as the spec says; with
     * {@code data.normalize: source}, normalised as {@code model.init}'s network was trained ({@link Transfer#inherited}),
     * found under {@code artifactsRoot} ({@code HOME/artifacts}; {@code null}: no home).
     */
    public static DataSplit of(ExperimentSpec spec, DataCache cache, Path artifactsRoot) {
        return of(spec, Datasets.load(spec.data(), cache), Transfer.inherited(spec, artifactsRoot));
    }

    /** {@link #of(ExperimentSpec, DataCache, Path)} without a home: {@code model.init} may inherit only from a file. */
    public static DataSplit of(ExperimentSpec spec, DataCache cache) {
        return of(spec, cache, null);
    }

    /** {@link #of(ExperimentSpec, Datasets.TrainTest, Normalization)}, inheriting only from a file (no home). */
    public static DataSplit of(ExperimentSpec spec, Datasets.TrainTest data) {
        return of(spec, data, Transfer.inherited(spec, null));
    }

    /**
     * Splits {@code data} as {@code spec} says.
     *
     * @param inherited the normalisation {@code data.normalize: source} applies ({@link Transfer#inherited}); not
     *                  used for the other values
     * @throws IllegalArgumentException when the spec asks for {@code source} and {@code inherited} is {@code null}
     */
    public static DataSplit of(ExperimentSpec spec, Datasets.TrainTest data, Normalization inherited) {
        DataSpec d = spec.data();
        ImageSet all = ClassSubset.of(data.train(), d.classes());
        int total = all.size();
        int validation = data.validation() == null ? spec.train().validation() : 0;
        if (data.validation() != null && spec.train().validation() > 0) {
            throw new SpecException("train.validation", "the data has its own validation split (" + data.validation()
                    .size() + " images); set train.validation to 0 to use it, or remove the split from the data");
        }
        if (validation >= total) {
            throw new SpecException("train.validation", "holds out " + validation + " of only " + total
                    + " training examples; nothing would be left to train on");
        }
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(spec.train().seed() ^ 0x5EEDL);
        int[] order = permutation(total, random);
        int trainCount = total - validation;
        if (d.limit() > 0) {
            trainCount = Math.min(trainCount, d.limit());
        }
        int[] val = Arrays.copyOfRange(order, 0, validation);
        int[] rest = Arrays.copyOfRange(order, validation, total);
        if (d.perClass() > 0) {
            rest = perClass(rest, all, d.perClass());
        }
        int[] train = Arrays.copyOf(rest, Math.min(rest.length, trainCount));
        ImageSet test = ClassSubset.of(data.test(), d.classes());
        if (d.testLimit() > 0 && d.testLimit() < test.size()) {
            int[] first = new int[d.testLimit()];
            Arrays.setAll(first, i -> i);
            test = test.select(first);
        }
        ImageSet trainSet = all.select(train);
        ImageSet valSet = data.validation() == null ? all.select(val) : ClassSubset.of(data.validation(), d.classes());
        Normalization norm = switch (d.normalize()) {
            case "none" -> Normalization.NONE;
            case "source" -> {
                if (inherited == null) {
                    throw new IllegalArgumentException("data.normalize is source, but no inherited normalisation"
                            + " was given");
                }
                yield inherited;
            }
            default -> ChannelStats.of(trainSet).normalization(d.normalize());
        };
        List<String> names = ClassSubset.names(data.classNames(), d.classes());
        Map<String, String> prov = new LinkedHashMap<>();
        prov.put("data.format", d.dataset());
        prov.put("data.path", d.path());
        if (!data.fingerprint().isEmpty()) {
            prov.put("data.fingerprint", data.fingerprint());
        }
        prov.put("data.classes", String.join(",", names));
        prov.put("data.shape", trainSet.channels() + "x" + trainSet.height() + "x" + trainSet.width());
        prov.put("data.count.train", String.valueOf(trainSet.size()));
        prov.put("data.count.validation", String.valueOf(valSet.size()));
        prov.put("data.count.test", String.valueOf(test.size()));
        prov.put("data.skipped", String.valueOf(data.skipped().size()));
        prov.put("data.normalize", d.normalize());
        if (d.normalize().equals("source")) {
            prov.put("data.normalize.from", spec.model().transfer().from());
        }
        prov.putAll(norm.provenance());
        return new DataSplit(trainSet.normalized(norm), valSet.normalized(norm), test.normalized(norm), names, prov);
    }

    /** The first {@code cap} of {@code order} of each class, in their order. */
    private static int[] perClass(int[] order, ImageSet set, int cap) {
        int[] taken = new int[set.classes()];
        return Arrays.stream(order).filter(i -> taken[set.labels()[i]]++ < cap).toArray();
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    static int[] permutation(int n, RandomGenerator random) {
        return Datasets.permutation(n, random);
    }
}
