package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.data.ImageSet;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A grid of the first misclassified images of a set (in the set's order, so the same images across runs), each
 * captioned with its true and predicted class. Stateless.
 */
final class Misclassified {

    static final int COUNT = 16;

    private Misclassified() {
    }

    /** The indices of the first {@code max} images whose prediction is not their label. */
    static int[] first(int[] labels, int[] predictions, int max) {
        int[] out = new int[max];
        int n = 0;
        for (int i = 0; i < labels.length && n < max; i++) {
            if (labels[i] != predictions[i]) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The grid, or {@code null} when every image is classified right. */
    static BufferedImage render(String setName, ImageSet set, int[] predictions, List<String> names) {
        int[] wrong = first(set.labels(), predictions, COUNT);
        if (wrong.length == 0) {
            return null;
        }
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        int d = set.imageSize();
        for (int i : wrong) {
            float[] px = set.pixels(i, i + 1);
            tiles.add(new ImageGrid.Tile(px, set.channels(), set.height(), set.width(), 0, 1,
                    List.of("true: " + names.get(set.labels()[i]), "pred: " + names.get(predictions[i]))));
        }
        long errors = 0;
        for (int i = 0; i < predictions.length; i++) {
            if (predictions[i] != set.labels()[i]) {
                errors++;
            }
        }
        String title = String.format(Locale.ROOT, "first %d misclassified %s images (%d of %d wrong)", wrong.length,
                setName, errors, set.size());
        return ImageGrid.render(title, tiles, 4, Math.max(1, 84 / Math.max(set.height(), set.width())), 112);
    }
}
