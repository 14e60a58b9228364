package dev.cnnworkbench.plugins.augmentations;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.plugin.AugmentationPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Random crop with padding: each image is padded by {@code padding} pixels on every side (zeros, or a mirror of
 * the border with {@code mode: "reflect"}) and a window of the original size is cut at a uniformly random
 * position. Labels are kept.
 */
public final class RandomCrop implements AugmentationPlugin {

    @Override
    public String name() {
        return "crop";
    }

    @Override
    public String help() {
        return "pad by 'padding' pixels, then crop a random window of the original size";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.integer("padding", 4, 0, null, "pixels of padding on each side (the largest shift)"),
                ParamSpec.choice("mode", "zero", List.of("zero", "reflect"), "what the padding holds"));
    }

    @Override
    public void apply(ImageBatch batch, Params params, RandomGenerator random) {
        int pad = params.getInt("padding");
        boolean reflect = params.getString("mode").equals("reflect");
        int h = batch.height();
        int w = batch.width();
        float[] px = batch.images();
        for (int n = 0; n < batch.size(); n++) {
            int dy = random.nextInt(2 * pad + 1) - pad;
            int dx = random.nextInt(2 * pad + 1) - pad;
            for (int ch = 0; ch < batch.channels(); ch++) {
                int base = n * batch.imageSize() + ch * h * w;
                float[] src = Arrays.copyOfRange(px, base, base + h * w);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int sy = y + dy;
                        int sx = x + dx;
                        if (reflect) {
                            px[base + y * w + x] = src[mirror(sy, h) * w + mirror(sx, w)];
                        } else {
                            boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                            px[base + y * w + x] = inside ? src[sy * w + sx] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** Reflection without repeating the edge pixel: -1 maps to 1, size maps to size - 2. */
    private static int mirror(int i, int size) {
        if (size == 1) {
            return 0;
        }
        int period = 2 * (size - 1);
        int m = Math.floorMod(i, period);
        return m < size ? m : period - m;
    }
}
