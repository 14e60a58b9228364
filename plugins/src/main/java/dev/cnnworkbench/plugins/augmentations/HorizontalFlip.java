package dev.cnnworkbench.plugins.augmentations;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.plugin.AugmentationPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import java.util.random.RandomGenerator;

/** Mirrors each image left to right with probability {@code probability}. Labels are kept. */
public final class HorizontalFlip implements AugmentationPlugin {

    @Override
    public String name() {
        return "hflip";
    }

    @Override
    public String help() {
        return "horizontal flip (mirror left-right) of each image with the given probability";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ParamSpec.number("probability", 0.5, 0.0, 1.0, "chance that an image is flipped"));
    }

    @Override
    public void apply(ImageBatch batch, Params params, RandomGenerator random) {
        double p = params.getDouble("probability");
        float[] px = batch.images();
        int w = batch.width();
        int rows = batch.channels() * batch.height();
        for (int n = 0; n < batch.size(); n++) {
            if (random.nextDouble() >= p) {
                continue;
            }
            for (int r = 0; r < rows; r++) {
                int row = n * batch.imageSize() + r * w;
                for (int x = 0; x < w / 2; x++) {
                    float t = px[row + x];
                    px[row + x] = px[row + w - 1 - x];
                    px[row + w - 1 - x] = t;
                }
            }
        }
    }
}
