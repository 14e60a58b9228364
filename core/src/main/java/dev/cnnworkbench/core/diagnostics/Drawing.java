package dev.cnnworkbench.core.diagnostics;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Shared drawing helpers for the PNG diagnostics, for headless JVMs: images are drawn into a {@link BufferedImage},
 * never a screen. Text is optional: where the JVM has no usable fonts, labels are left out rather than failing the
 * image. Stateless apart from remembering that fonts are missing.
 */
final class Drawing {

    static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 12);
    private static volatile boolean noFonts;

    private Drawing() {
    }

    /** A white RGB canvas of the given size and its graphics, anti-aliased text. */
    static BufferedImage canvas(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    /** Draws {@code s} with its baseline at {@code (x, y)}; does nothing where the JVM cannot render text. */
    static void text(Graphics2D g, String s, int x, int y, Font font, Color color) {
        if (noFonts) {
            return;
        }
        try {
            g.setFont(font);
            g.setColor(color);
            g.drawString(s, x, y);
        } catch (RuntimeException | LinkageError | InternalError e) {
            noFonts = true;
        }
    }

    /** Like {@link #text}, centred on {@code cx}. */
    static void centred(Graphics2D g, String s, int cx, int y, Font font, Color color) {
        if (noFonts) {
            return;
        }
        try {
            int w = g.getFontMetrics(font).stringWidth(s);
            text(g, s, cx - w / 2, y, font, color);
        } catch (RuntimeException | LinkageError | InternalError e) {
            noFonts = true;
        }
    }

    /** A grey level 0..255 for {@code v} mapped linearly from {@code [lo, hi]}, clamped. */
    static int grey(double v, double lo, double hi) {
        double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
        return (int) Math.round(255 * Math.max(0, Math.min(1, t)));
    }
}
