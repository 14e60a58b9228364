package dev.cnnworkbench.plugins.augmentations;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.plugin.AugmentationPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.AbstractRandomGenerator;

/**
 * Mixup (Zhang et al.): one weight {@code lambda ~ Beta(alpha, alpha)} per batch and a random pairing
 * {@code j = perm(i)} of its examples; image and label of example {@code i} both become
 * {@code lambda * own + (1 - lambda) * partner's}. Labels stop being one-hot, so the loss must accept
 * probabilities (softmax cross-entropy does).
 */
public final class Mixup implements AugmentationPlugin {

    @Override
    public String name() {
        return "mixup";
    }

    @Override
    public String help() {
        return "blend pairs of examples, images and labels alike, with lambda ~ Beta(alpha, alpha)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ParamSpec.number("alpha", 0.2, 1e-3, null, "Beta distribution parameter (0.1 to 0.4 typical)"));
    }

    @Override
    public void apply(ImageBatch batch, Params params, RandomGenerator random) {
        double alpha = params.getDouble("alpha");
        double lambda = new BetaDistribution(new Adapter(random), alpha, alpha).sample();
        int[] perm = permutation(batch.size(), random);
        mix(batch.images(), batch.imageSize(), perm, lambda);
        mix(batch.labels(), batch.classes(), perm, lambda);
    }

    private static int[] permutation(int n, RandomGenerator random) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    private static void mix(float[] data, int width, int[] perm, double lambda) {
        float[] original = data.clone();
        for (int i = 0; i < perm.length; i++) {
            int own = i * width;
            int other = perm[i] * width;
            for (int k = 0; k < width; k++) {
                data[own + k] = (float) (lambda * original[own + k] + (1 - lambda) * original[other + k]);
            }
        }
    }

    /** Commons Math's generator interface over the JDK generator the trainer hands out; not reseedable. */
    private static final class Adapter extends AbstractRandomGenerator {

        private final RandomGenerator random;

        Adapter(RandomGenerator random) {
            this.random = random;
        }

        @Override
        public double nextDouble() {
            return random.nextDouble();
        }

        @Override
        public void setSeed(long seed) {
            throw new UnsupportedOperationException("the augmentation's generator is seeded by the trainer");
        }
    }
}
