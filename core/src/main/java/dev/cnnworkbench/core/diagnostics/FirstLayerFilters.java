package dev.cnnworkbench.core.diagnostics;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pictures of what the first weighted layer looks for: a convolution's kernels ({@code [out, in, kh, kw]}, each
 * drawn with its own grey scale, min black, max white; RGB when the input has 3 channels), or for a dense layer
 * reading the whole image, each unit's weights as an image (at most {@link #MAX_TILES}). Stateless.
 */
final class FirstLayerFilters {

    static final int MAX_TILES = 64;

    private FirstLayerFilters() {
    }

    /**
     * The image, or {@code null} when the network's first weighted layer is neither a convolution nor a dense layer
     * over the whole input image.
     */
    static BufferedImage render(List<WatchedLayer> layers, int channels, int height, int width) {
        WatchedLayer first = layers.stream().filter(WatchedLayer::hasWeights).findFirst().orElse(null);
        if (first == null) {
            return null;
        }
        var conf = first.layer().conf().getLayer();
        INDArray w = first.weights();
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        String what;
        if (conf instanceof ConvolutionLayer && w.rank() == 4) {
            long out = w.size(0);
            int in = (int) w.size(1);
            int kh = (int) w.size(2);
            int kw = (int) w.size(3);
            for (long f = 0; f < Math.min(out, MAX_TILES); f++) {
                tiles.add(tile(HistogramObserver.floats(w.slice(f)), in, kh, kw));
            }
            what = String.format(Locale.ROOT, "%d filters %dx%d", out, kh, kw);
        } else if (conf instanceof DenseLayer && w.rank() == 2 && w.size(0) == (long) channels * height * width) {
            long units = w.size(1);
            for (long u = 0; u < Math.min(units, MAX_TILES); u++) {
                tiles.add(tile(HistogramObserver.floats(w.getColumn(u)), channels, height, width));
            }
            what = String.format(Locale.ROOT, "weights of %d of %d units as images", tiles.size(), units);
        } else {
            return null;
        }
        int side = Math.max(tiles.get(0).height(), tiles.get(0).width());
        int scale = Math.max(1, Math.min(12, 48 / side));
        int columns = (int) Math.ceil(Math.sqrt(tiles.size()));
        return ImageGrid.render(first.name() + ": " + what, tiles, columns, scale, 0);
    }

    private static ImageGrid.Tile tile(float[] values, int channels, int h, int w) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return new ImageGrid.Tile(values, channels, h, w, lo, hi, List.of());
    }
}
