package dev.cnnworkbench.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG, BMP and GIF files with the JDK's ImageIO into unsigned bytes, channel-first. A file ImageIO
 * cannot read, or reads only with a warning (a truncated JPEG decodes "successfully" with grey rows and a warning),
 * is a {@link BadImage}. Grey images keep their stored sample values (no colour-space conversion); anything else is
 * read as sRGB. Stateless; safe from several threads.
 */
public final class ImageDecoder {

    /** The file extensions read, lower case. */
    public static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageDecoder() {
    }

    /** An image that cannot be decoded; the message says why. */
    public static final class BadImage extends Exception {
        private static final long serialVersionUID = 1L;

        BadImage(String message) {
            super(message);
        }
    }

    /** A decoded image: {@code channels} (1 or 3) planes of {@code height x width} bytes. */
    public record Decoded(byte[] pixels, int channels, int height, int width) {
    }

    /** Whether {@code file}'s name has an image extension. */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1));
    }

    /** The image's {@code [height, width]} from its header, without decoding the pixels. */
    public static int[] size(Path file) throws BadImage {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(in);
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getHeight(0), reader.getWidth(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new BadImage("cannot read its header: " + message(e));
        }
    }

    /** Decodes {@code file}. */
    public static Decoded decode(Path file) throws BadImage {
        BufferedImage image;
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(in);
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new BadImage("cannot decode it: " + message(e));
        }
        if (!warnings.isEmpty()) {
            throw new BadImage("it decodes only with a warning (truncated or corrupt?): " + warnings.get(0));
        }
        return pixels(image);
    }

    private static ImageReader reader(ImageInputStream in) throws IOException {
        if (in == null) {
            throw new IOException("cannot open the file");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new IOException("not a PNG, JPEG, BMP or GIF image");
        }
        return readers.next();
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** The image's samples: grey images' stored values, everything else as sRGB (alpha dropped). */
    static Decoded pixels(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        Raster raster = image.getRaster();
        boolean grey = raster.getNumBands() == 1 && !(image.getColorModel() instanceof IndexColorModel);
        if (grey) {
            int bits = image.getColorModel().getComponentSize(0);
            int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            byte[] out = new byte[h * w];
            for (int i = 0; i < samples.length; i++) {
                out[i] = (byte) (bits > 8 ? samples[i] >> (bits - 8) : bits < 8 ? samples[i] * 255 / ((1 << bits) - 1)
                        : samples[i]);
            }
            return new Decoded(out, 1, h, w);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        int plane = h * w;
        byte[] out = new byte[3 * plane];
        for (int i = 0; i < plane; i++) {
            out[i] = (byte) (argb[i] >> 16);
            out[plane + i] = (byte) (argb[i] >> 8);
            out[2 * plane + i] = (byte) argb[i];
        }
        return new Decoded(out, 3, h, w);
    }
}
