package dev.cnnworkbench.plugins.augmentations;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.plugin.AugmentationPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Random scale and crop: each image is resized by a factor drawn uniformly from {@code [min_scale, max_scale]}
 * (bilinear), and a window of the original size is taken at a random position (a smaller image is placed at a
 * random position instead, the rest filled with 0). Labels are kept.
 */
public final class ScaleCrop implements AugmentationPlugin {

    @Override
    public String name() {
        return "scale-crop";
    }

    @Override
    public String help() {
        return "resize by a random factor in [min_scale, max_scale], then crop back to the original size";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.number("min_scale", 1.0, 0.1, 10.0, "smallest resize factor"),
                ParamSpec.number("max_scale", 1.25, 0.1, 10.0, "largest resize factor"));
    }

    @Override
    public void apply(ImageBatch batch, Params params, RandomGenerator random) {
        double lo = params.getDouble("min_scale");
        double hi = params.getDouble("max_scale");
        if (lo > hi) {
            throw new IllegalArgumentException("min_scale (" + lo + ") must not exceed max_scale (" + hi + ")");
        }
        for (int n = 0; n < batch.size(); n++) {
            double s = lo == hi ? lo : random.nextDouble(lo, hi);
            double ox = offset(random, (s - 1) * batch.width());
            double oy = offset(random, (s - 1) * batch.height());
            // Output pixel p shows pixel p + o of the resized image, i.e. source pixel (p + o) / s.
            Images.affine(batch, n, new double[] {1 / s, 0, ox / s, 0, 1 / s, oy / s}, 0f);
        }
    }

    /** A uniform offset between 0 and {@code slack} (which is negative when the image shrank). */
    private static double offset(RandomGenerator random, double slack) {
        return slack == 0 ? 0 : random.nextDouble() * slack;
    }
}
