package dev.cnnworkbench.plugins.augmentations;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.plugin.AugmentationPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import java.util.random.RandomGenerator;

/** Adds independent Gaussian noise of standard deviation {@code std} to every pixel. Labels are kept. */
public final class GaussianNoise implements AugmentationPlugin {

    @Override
    public String name() {
        return "noise";
    }

    @Override
    public String help() {
        return "additive Gaussian noise N(0, std^2) on every pixel";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ParamSpec.number("std", 0.05, 0.0, null, "standard deviation of the noise"));
    }

    @Override
    public void apply(ImageBatch batch, Params params, RandomGenerator random) {
        double std = params.getDouble("std");
        float[] px = batch.images();
        int n = batch.size() * batch.imageSize();
        for (int i = 0; i < n; i++) {
            px[i] += (float) (random.nextGaussian() * std);
        }
    }
}
