package dev.cnnworkbench.plugins.augmentations;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.plugin.AugmentationPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Shifts each image by a random sub-pixel offset of up to {@code max_fraction} of its width (horizontally) and
 * height (vertically), bilinearly interpolated; uncovered pixels take {@code fill}. Labels are kept.
 */
public final class Translate implements AugmentationPlugin {

    @Override
    public String name() {
        return "translate";
    }

    @Override
    public String help() {
        return "random shift by up to max_fraction of the width and height";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.number("max_fraction", 0.1, 0.0, 1.0, "largest shift, as a fraction of the image size"),
                ParamSpec.number("fill", 0.0, null, null, "value of the pixels shifted in"));
    }

    @Override
    public void apply(ImageBatch batch, Params params, RandomGenerator random) {
        double f = params.getDouble("max_fraction");
        float fill = (float) params.getDouble("fill");
        for (int n = 0; n < batch.size(); n++) {
            double dx = Images.symmetric(random, f * batch.width());
            double dy = Images.symmetric(random, f * batch.height());
            Images.affine(batch, n, new double[] {1, 0, -dx, 0, 1, -dy}, fill);
        }
    }
}
