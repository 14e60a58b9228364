package dev.cnnworkbench.core.diagnostics;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * Renders a {@link ConfusionMatrix} as an image: one cell per (true, predicted) pair holding its count, shaded by
 * the share of the true class's images it holds (white 0 to dark blue 1), rows labelled with class numbers and names,
 * columns with class numbers. Stateless.
 */
final class ConfusionPlot {

    static final int CELL = 44;
    private static final int LEFT = 130;
    private static final int TOP = 56;
    private static final Color DARK = new Color(8, 48, 107);

    private ConfusionPlot() {
    }

    static BufferedImage render(ConfusionMatrix m) {
        int c = m.classes().size();
        BufferedImage image = Drawing.canvas(LEFT + c * CELL + 16, TOP + c * CELL + 36);
        Graphics2D g = Drawing.graphics(image);
        Drawing.text(g, String.format(Locale.ROOT, "%s set: %d images, accuracy %.1f%%", m.set(), m.total(),
                100 * m.accuracy()), 8, 18, Drawing.TITLE, Color.BLACK);
        Drawing.centred(g, "predicted class", LEFT + c * CELL / 2, 36, Drawing.FONT, Color.DARK_GRAY);
        for (int t = 0; t < c; t++) {
            long row = 0;
            for (long v : m.counts()[t]) {
                row += v;
            }
            int y = TOP + t * CELL;
            Drawing.text(g, t + " " + m.classes().get(t), 6, y + CELL / 2 + 4, Drawing.FONT, Color.BLACK);
            for (int p = 0; p < c; p++) {
                long count = m.counts()[t][p];
                double share = row == 0 ? 0 : (double) count / row;
                int x = LEFT + p * CELL;
                g.setColor(blend(share));
                g.fillRect(x, y, CELL, CELL);
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(x, y, CELL, CELL);
                Drawing.centred(g, String.valueOf(count), x + CELL / 2, y + CELL / 2 + 4, Drawing.FONT,
                        share > 0.5 ? Color.WHITE : Color.BLACK);
            }
        }
        for (int p = 0; p < c; p++) {
            Drawing.centred(g, String.valueOf(p), LEFT + p * CELL + CELL / 2, TOP - 6, Drawing.FONT, Color.BLACK);
        }
        Drawing.text(g, "rows: true class", 6, TOP + c * CELL + 24, Drawing.FONT, Color.DARK_GRAY);
        g.dispose();
        return image;
    }

    private static Color blend(double share) {
        double t = Math.max(0, Math.min(1, share));
        return new Color((int) (255 + t * (DARK.getRed() - 255)), (int) (255 + t * (DARK.getGreen() - 255)),
                (int) (255 + t * (DARK.getBlue() - 255)));
    }
}
