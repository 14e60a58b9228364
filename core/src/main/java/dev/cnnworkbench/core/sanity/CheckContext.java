package dev.cnnworkbench.core.sanity;

import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.experiment.Experiment;

/**
 * What a {@link SanityCheck} works on.
 *
 * @param experiment the spec under check (its network is built from scratch, even when the spec starts from a
 *                   checkpoint)
 * @param train      training images the checks may fit (a few thousand at most)
 * @param reference  other images, never fitted, on which losses are measured (a few hundred)
 * @param progress   where progress goes
 */
public record CheckContext(Experiment experiment, ImageSet train, ImageSet reference, CheckProgress progress) {

    /** The number of classes the network predicts. */
    public int classes() {
        return train.classes();
    }

    /** The spec's seed: every check's randomness derives from it. */
    public long seed() {
        return experiment.spec().train().seed();
    }
}
