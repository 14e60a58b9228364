package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.data.ImageSet;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** A picture of a data set: one row per class, its first images, captioned with the class name. Stateless. */
public final class SampleGrid {

    private SampleGrid() {
    }

    /** Up to {@code perClass} images of each class of {@code set} (in set order), one row per class. */
    public static BufferedImage render(String title, ImageSet set, List<String> names, int perClass) {
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        int[] taken = new int[set.classes()];
        List<List<Integer>> rows = new ArrayList<>();
        for (int c = 0; c < set.classes(); c++) {
            rows.add(new ArrayList<>());
        }
        for (int i = 0; i < set.size(); i++) {
            int c = set.labels()[i];
            if (taken[c]++ < perClass) {
                rows.get(c).add(i);
            }
        }
        for (int c = 0; c < set.classes(); c++) {
            for (int k = 0; k < perClass; k++) {
                List<String> caption = k == 0 ? List.of(names.get(c)) : List.of("");
                float[] px = k < rows.get(c).size() ? set.pixels(rows.get(c).get(k), rows.get(c).get(k) + 1)
                        : new float[set.imageSize()];
                tiles.add(new ImageGrid.Tile(px, set.channels(), set.height(), set.width(), 0, 1, caption));
            }
        }
        int scale = Math.max(1, 64 / Math.max(set.height(), set.width()));
        return ImageGrid.render(title, tiles, perClass, scale, 40);
    }
}
