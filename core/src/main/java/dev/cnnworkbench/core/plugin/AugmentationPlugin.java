package dev.cnnworkbench.core.plugin;

import dev.cnnworkbench.core.data.ImageBatch;
import java.util.random.RandomGenerator;

/**
 * A training-time transform of a mini-batch. Never applied to validation or test data. Must be
 * reproducible: all randomness comes from the generator it is given.
 */
public interface AugmentationPlugin extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.AUGMENTATION;
    }

    /** Transforms {@code batch} in place (images and, for label-mixing transforms, labels). */
    void apply(ImageBatch batch, Params params, RandomGenerator random);
}
