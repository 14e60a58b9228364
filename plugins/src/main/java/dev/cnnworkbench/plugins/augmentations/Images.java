package dev.cnnworkbench.plugins.augmentations;

import dev.cnnworkbench.core.data.ImageBatch;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Pixel access and resampling shared by the geometric augmentations; images are {@code NCHW} floats. */
final class Images {

    private Images() {
    }

    /** A uniform draw from {@code [-range, range]}; no draw at all when the range is 0. */
    static double symmetric(RandomGenerator random, double range) {
        return range == 0 ? 0 : random.nextDouble(-range, range);
    }

    /**
     * Rewrites image {@code n} of {@code batch} so that output pixel {@code (x, y)} takes the value of the source at
     * {@code (a*x + b*y + c, d*x + e*y + f)} (column, row), bilinearly interpolated, {@code fill} outside.
     */
    static void affine(ImageBatch batch, int n, double[] inverse, float fill) {
        int h = batch.height();
        int w = batch.width();
        float[] px = batch.images();
        for (int ch = 0; ch < batch.channels(); ch++) {
            int base = n * batch.imageSize() + ch * h * w;
            float[] src = Arrays.copyOfRange(px, base, base + h * w);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sx = inverse[0] * x + inverse[1] * y + inverse[2];
                    double sy = inverse[3] * x + inverse[4] * y + inverse[5];
                    px[base + y * w + x] = bilinear(src, h, w, sx, sy, fill);
                }
            }
        }
    }

    private static float bilinear(float[] src, int h, int w, double x, double y, float fill) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double top = (1 - fx) * at(src, h, w, x0, y0, fill) + (fx == 0 ? 0 : fx * at(src, h, w, x0 + 1, y0, fill));
        if (fy == 0) {
            return (float) top;
        }
        double bottom = (1 - fx) * at(src, h, w, x0, y0 + 1, fill)
                + (fx == 0 ? 0 : fx * at(src, h, w, x0 + 1, y0 + 1, fill));
        return (float) ((1 - fy) * top + fy * bottom);
    }

    private static float at(float[] src, int h, int w, int x, int y, float fill) {
        return x < 0 || y < 0 || x >= w || y >= h ? fill : src[y * w + x];
    }
}
