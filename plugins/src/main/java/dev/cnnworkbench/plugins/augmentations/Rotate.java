package dev.cnnworkbench.plugins.augmentations;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.plugin.AugmentationPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Rotates each image about its centre by an angle drawn uniformly from {@code [-degrees, degrees]}, bilinearly
 * interpolated; corners that come from outside take {@code fill}. Labels are kept.
 */
public final class Rotate implements AugmentationPlugin {

    @Override
    public String name() {
        return "rotate";
    }

    @Override
    public String help() {
        return "random rotation by an angle in [-degrees, degrees] (e.g. 20)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.number("degrees", 15.0, 0.0, 180.0, "largest rotation either way, in degrees"),
                ParamSpec.number("fill", 0.0, null, null, "value of the pixels rotated in"));
    }

    @Override
    public void apply(ImageBatch batch, Params params, RandomGenerator random) {
        double degrees = params.getDouble("degrees");
        float fill = (float) params.getDouble("fill");
        double cx = (batch.width() - 1) / 2.0;
        double cy = (batch.height() - 1) / 2.0;
        for (int n = 0; n < batch.size(); n++) {
            double angle = Math.toRadians(Images.symmetric(random, degrees));
            double cos = Math.cos(angle);
            double sin = Math.sin(angle);
            // Output pixel p samples the source at R(-angle) (p - centre) + centre.
            Images.affine(batch, n, new double[] {
                    cos, sin, cx - cos * cx - sin * cy,
                    -sin, cos, cy + sin * cx - cos * cy}, fill);
        }
    }
}
