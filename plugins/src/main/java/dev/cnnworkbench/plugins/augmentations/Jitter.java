package dev.cnnworkbench.plugins.augmentations;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.plugin.AugmentationPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Colour, contrast and brightness jitter, per image: each channel is multiplied by a factor from
 * {@code [1 - colour, 1 + colour]}, deviations from the image mean are scaled by a factor from
 * {@code [1 - contrast, 1 + contrast]}, and an offset from {@code [-brightness, brightness]} is added. Values are
 * not clipped (the data may already be normalised). Labels are kept.
 */
public final class Jitter implements AugmentationPlugin {

    @Override
    public String name() {
        return "jitter";
    }

    @Override
    public String help() {
        return "random per-image brightness offset, contrast factor and per-channel colour factor";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.number("brightness", 0.2, 0.0, null, "largest additive offset"),
                ParamSpec.number("contrast", 0.2, 0.0, 1.0, "largest relative change of contrast"),
                ParamSpec.number("colour", 0.0, 0.0, 1.0, "largest relative change of each channel"));
    }

    @Override
    public void apply(ImageBatch batch, Params params, RandomGenerator random) {
        double brightness = params.getDouble("brightness");
        double contrast = params.getDouble("contrast");
        double colour = params.getDouble("colour");
        float[] px = batch.images();
        int plane = batch.height() * batch.width();
        for (int n = 0; n < batch.size(); n++) {
            int base = n * batch.imageSize();
            double sum = 0;
            for (int ch = 0; ch < batch.channels(); ch++) {
                double factor = 1 + Images.symmetric(random, colour);
                for (int i = base + ch * plane; i < base + (ch + 1) * plane; i++) {
                    px[i] = (float) (px[i] * factor);
                    sum += px[i];
                }
            }
            double mean = sum / batch.imageSize();
            double c = 1 + Images.symmetric(random, contrast);
            double b = Images.symmetric(random, brightness);
            for (int i = base; i < base + batch.imageSize(); i++) {
                px[i] = (float) ((px[i] - mean) * c + mean + b);
            }
        }
    }
}
