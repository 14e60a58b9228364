package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecException;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The three sets one run uses. The validation set is a seeded random hold-out of the training data;
 * {@code data.limit} then caps what remains for training. Immutable.
 */
public record DataSplit(ImageSet train, ImageSet validation, ImageSet test) {

    /** Loads the data a spec names and splits it as the spec says. */
    public static DataSplit of(ExperimentSpec spec) {
        return of(spec, Datasets.load(spec.data()));
    }

    public static DataSplit of(ExperimentSpec spec, Datasets.TrainTest data) {
        int total = data.train().size();
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
        int[] train = Arrays.copyOfRange(order, validation, validation + trainCount);
        ImageSet test = data.test();
        if (spec.data().testLimit() > 0 && spec.data().testLimit() < test.size()) {
            int[] first = new int[spec.data().testLimit()];
            Arrays.setAll(first, i -> i);
            test = test.select(first);
        }
        return new DataSplit(data.train().select(train), data.train().select(val), test);
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
