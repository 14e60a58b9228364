package dev.cnnworkbench.plugins.augmentations;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.plugin.AugmentationPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Cutout (DeVries and Taylor): in each image, a {@code size x size} square centred on a uniformly random pixel is
 * set to {@code fill} in every channel; the square may hang over the border and is clipped there. Labels are kept.
 */
public final class Cutout implements AugmentationPlugin {

    @Override
    public String name() {
        return "cutout";
    }

    @Override
    public String help() {
        return "blank out a size x size square at a random position in each image";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.integer("size", 8, 1, null, "side of the square, in pixels"),
                ParamSpec.number("fill", 0.0, null, null, "value written into the square"));
    }

    @Override
    public void apply(ImageBatch batch, Params params, RandomGenerator random) {
        int size = params.getInt("size");
        float fill = (float) params.getDouble("fill");
        int h = batch.height();
        int w = batch.width();
        float[] px = batch.images();
        for (int n = 0; n < batch.size(); n++) {
            int top = random.nextInt(h) - size / 2;
            int left = random.nextInt(w) - size / 2;
            for (int ch = 0; ch < batch.channels(); ch++) {
                int base = n * batch.imageSize() + ch * h * w;
                for (int y = Math.max(0, top); y < Math.min(h, top + size); y++) {
                    for (int x = Math.max(0, left); x < Math.min(w, left + size); x++) {
                        px[base + y * w + x] = fill;
                    }
                }
            }
        }
    }
}
