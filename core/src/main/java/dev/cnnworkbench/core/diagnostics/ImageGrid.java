package dev.cnnworkbench.core.diagnostics;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Renders small images (examples, filters) side by side in rows, each scaled up with square pixels and optionally
 * captioned underneath. Stateless.
 */
final class ImageGrid {

    /**
     * One image, channel-first ({@code C x H x W}); one channel is drawn grey, three as RGB, others as their mean.
     *
     * @param lo      the value drawn black (or channel minimum)
     * @param hi      the value drawn white (or channel maximum)
     * @param caption lines of text under the image, may be empty
     */
    record Tile(float[] pixels, int channels, int height, int width, double lo, double hi, List<String> caption) {
    }

    private static final int GAP = 6;
    private static final int LINE = 13;
    private static final int HEADER = 26;

    private ImageGrid() {
    }

    /**
     * @param columns tiles per row
     * @param scale   screen pixels per image pixel
     * @param minCell the smallest cell width, to leave room for captions
     */
    static BufferedImage render(String title, List<Tile> tiles, int columns, int scale, int minCell) {
        int lines = tiles.stream().mapToInt(t -> t.caption().size()).max().orElse(0);
        int tileW = tiles.stream().mapToInt(t -> t.width() * scale).max().orElse(1);
        int tileH = tiles.stream().mapToInt(t -> t.height() * scale).max().orElse(1);
        int cellW = Math.max(tileW, minCell) + GAP;
        int cellH = tileH + lines * LINE + GAP;
        int rows = Math.max(1, (tiles.size() + columns - 1) / columns);
        int width = Math.max(columns * cellW + GAP, 260);
        BufferedImage image = Drawing.canvas(width, HEADER + rows * cellH + GAP);
        Graphics2D g = Drawing.graphics(image);
        Drawing.text(g, title, GAP, 17, Drawing.TITLE, Color.BLACK);
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            int x0 = GAP + (i % columns) * cellW;
            int y0 = HEADER + (i / columns) * cellH;
            int ox = x0 + (cellW - GAP - t.width() * scale) / 2;
            draw(image, t, ox, y0, scale);
            for (int l = 0; l < t.caption().size(); l++) {
                Drawing.centred(g, t.caption().get(l), x0 + (cellW - GAP) / 2, y0 + t.height() * scale + LINE * (l + 1),
                        Drawing.FONT, l == 0 ? Color.BLACK : new Color(170, 0, 0));
            }
        }
        g.dispose();
        return image;
    }

    private static void draw(BufferedImage image, Tile t, int ox, int oy, int scale) {
        int plane = t.height() * t.width();
        for (int y = 0; y < t.height(); y++) {
            for (int x = 0; x < t.width(); x++) {
                int rgb;
                if (t.channels() == 3) {
                    int r = Drawing.grey(t.pixels()[y * t.width() + x], t.lo(), t.hi());
                    int gr = Drawing.grey(t.pixels()[plane + y * t.width() + x], t.lo(), t.hi());
                    int b = Drawing.grey(t.pixels()[2 * plane + y * t.width() + x], t.lo(), t.hi());
                    rgb = (r << 16) | (gr << 8) | b;
                } else {
                    double v = 0;
                    for (int c = 0; c < t.channels(); c++) {
                        v += t.pixels()[c * plane + y * t.width() + x];
                    }
                    int grey = Drawing.grey(v / t.channels(), t.lo(), t.hi());
                    rgb = (grey << 16) | (grey << 8) | grey;
                }
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        image.setRGB(ox + x * scale + dx, oy + y * scale + dy, rgb);
                    }
                }
            }
        }
    }
}
