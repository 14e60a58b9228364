package dev.cnnworkbench.core.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes real image files for the data tests and {@code workbench bench data}: each class a distinct colour, so
 * labels can be checked after decoding. Stateless.
 */
public final class ImageFixtures {

    private ImageFixtures() {
    }

    /** A {@code w x h} image of class {@code label}: red = 40 * label + i % 7, green = 200 - 30 * label, blue = 90. */
    public static BufferedImage image(int label, int i, int w, int h, boolean grey) {
        BufferedImage img = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (grey) {
                    img.getRaster().setSample(x, y, 0, (40 * label + i % 7 + x) & 0xff);
                } else {
                    int r = (40 * label + i % 7) & 0xff;
                    int g = (200 - 30 * label) & 0xff;
                    img.setRGB(x, y, (r << 16) | (g << 8) | ((90 + y) & 0xff));
                }
            }
        }
        return img;
    }

    /** Writes {@code img} to {@code file} in the format its extension names. */
    public static Path write(Path file, BufferedImage img) {
        try {
            Files.createDirectories(file.getParent());
            String ext = file.getFileName().toString().replaceAll(".*\\.", "");
            if (!ImageIO.write(img, ext.equals("jpg") ? "jpeg" : ext, file.toFile())) {
                throw new IllegalStateException("no writer for " + ext);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A folder {@code dir/CLASS/i.EXT} of {@code perClass} images per class, sizes varying when {@code mixed}. */
    public static void folder(Path dir, String ext, String[] classes, int perClass, boolean grey, boolean mixed) {
        for (int c = 0; c < classes.length; c++) {
            for (int i = 0; i < perClass; i++) {
                int w = mixed ? 10 + (i % 3) * 4 : 8;
                int h = mixed ? 8 + (i % 2) * 6 : 8;
                write(dir.resolve(classes[c]).resolve(String.format("%03d.%s", i, ext)), image(c, i, w, h, grey));
            }
        }
    }

    /** A CIFAR-10 binary file of {@code n} records, record i of class {@code i % 10}, every pixel {@code i % 256}. */
    public static Path cifar10(Path file, int n) {
        byte[] out = new byte[n * 3073];
        for (int i = 0; i < n; i++) {
            out[i * 3073] = (byte) (i % 10);
            java.util.Arrays.fill(out, i * 3073 + 1, (i + 1) * 3073, (byte) (i % 256));
        }
        return writeBytes(file, out);
    }

    /**
     * A CIFAR-10 binary file of {@code n} records, record i of class {@code i % 10} (so every class a smaller file
     * has is in a larger one too), pixels seeded random: data of the real set's shape for throughput measurements.
     */
    public static Path cifar10Random(Path file, int n, long seed) {
        byte[] out = new byte[n * 3073];
        new java.util.Random(seed).nextBytes(out);
        for (int i = 0; i < n; i++) {
            out[i * 3073] = (byte) (i % 10);
        }
        return writeBytes(file, out);
    }

    private static Path writeBytes(Path file, byte[] out) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
