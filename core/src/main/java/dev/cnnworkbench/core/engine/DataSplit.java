package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.data.ClassSubset;
import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecException;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The three sets one run uses. {@code data.classes} first keeps (and relabels) the listed classes of the training
 * and test data; the validation set is then a seeded random hold-out of the training data; of what remains,
 * {@code data.per_class} caps the examples of each class and {@code data.limit} the total. Immutable.
 */
public record DataSplit(ImageSet train, ImageSet validation, ImageSet test) {

    /** Loads the data a spec names and splits it as the spec says. */
    public static DataSplit of(ExperimentSpec spec) {
        return of(spec, Datasets.load(spec.data()));
    }

    public static DataSplit of(ExperimentSpec spec, Datasets.TrainTest data) {
        ImageSet all = ClassSubset.of(data.train(), spec.data().classes());
        int total = all.size();
        int validation = spec.train().validation();
        if (validation >= total) {
            throw new SpecException("train.validation", "holds out " + validation + " of only " + total
                    + " training examples; nothing would be left to train on");
        }
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(spec.train().seed() ^ 0x5EEDL);
        int[] order = permutation(total, random);
        int trainCount = total - validation;
        if (spec.data().limit() > 0) {
            trainCount = Math.min(trainCount, spec.data().limit());
        }
        int[] val = Arrays.copyOfRange(order, 0, validation);
        int[] rest = Arrays.copyOfRange(order, validation, total);
        if (spec.data().perClass() > 0) {
            rest = perClass(rest, all, spec.data().perClass());
        }
        int[] train = Arrays.copyOf(rest, Math.min(rest.length, trainCount));
        ImageSet test = ClassSubset.of(data.test(), spec.data().classes());
        if (spec.data().testLimit() > 0 && spec.data().testLimit() < test.size()) {
            int[] first = new int[spec.data().testLimit()];
            Arrays.setAll(first, i -> i);
            test = test.select(first);
        }
        return new DataSplit(all.select(train), all.select(val), test);
    }

    /** The first {@code cap} of {@code order} of each class, in their order. */
    private static int[] perClass(int[] order, ImageSet set, int cap) {
        int[] taken = new int[set.classes()];
        return Arrays.stream(order).filter(i -> taken[set.labels()[i]]++ < cap).toArray();
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    static int[] permutation(int n, RandomGenerator random) {
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
