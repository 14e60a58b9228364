package dev.cnnworkbench.core.data;

/**
 * Fits decoded images to the spec's channels and size, on unsigned bytes, channel-first. Stateless.
 *
 * <p>Channels: RGB to grey is the luma {@code 0.299 R + 0.587 G + 0.114 B} (ITU-R BT.601), rounded; grey to RGB
 * repeats the one channel; an alpha channel is dropped by the decoder. Size: {@code crop} scales the image so its
 * shorter side matches (the aspect ratio kept) and cuts the centre; {@code stretch} scales each side on its own.
 * Scaling samples bilinearly at pixel centres; an image already of the target size is copied unchanged.
 */
public final class Pixels {

    private Pixels() {
    }

    /** {@code src} ({@code channels x height x width}) as {@code toChannels x toHeight x toWidth}. */
    public static byte[] fit(byte[] src, int channels, int height, int width, int toChannels, int toHeight,
                             int toWidth, boolean crop) {
        byte[] sized = height == toHeight && width == toWidth ? src
                : resize(src, channels, height, width, toHeight, toWidth, crop);
        return convertChannels(sized, channels, toChannels, toHeight * toWidth);
    }

    static byte[] convertChannels(byte[] src, int channels, int toChannels, int plane) {
        if (channels == toChannels) {
            return src;
        }
        byte[] out = new byte[toChannels * plane];
        if (channels == 1 && toChannels == 3) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(src, 0, out, c * plane, plane);
            }
        } else if (channels == 3 && toChannels == 1) {
            for (int p = 0; p < plane; p++) {
                double luma = 0.299 * (src[p] & 0xff) + 0.587 * (src[plane + p] & 0xff)
                        + 0.114 * (src[2 * plane + p] & 0xff);
                out[p] = (byte) Math.min(255, Math.round(luma));
            }
        } else {
            throw new IllegalArgumentException("cannot convert " + channels + " channels to " + toChannels);
        }
        return out;
    }

    private static byte[] resize(byte[] src, int channels, int height, int width, int toHeight, int toWidth,
                                 boolean crop) {
        // the source rectangle (in source pixels) that maps onto the whole target
        double srcH = height;
        double srcW = width;
        if (crop) {
            double scale = Math.max((double) toHeight / height, (double) toWidth / width);
            srcH = toHeight / scale;
            srcW = toWidth / scale;
        }
        double top = (height - srcH) / 2;
        double left = (width - srcW) / 2;
        double sy = srcH / toHeight;
        double sx = srcW / toWidth;
        byte[] out = new byte[channels * toHeight * toWidth];
        for (int c = 0; c < channels; c++) {
            int in = c * height * width;
            int o = c * toHeight * toWidth;
            for (int y = 0; y < toHeight; y++) {
                double fy = clamp(top + (y + 0.5) * sy - 0.5, height - 1);
                int y0 = (int) fy;
                int y1 = Math.min(height - 1, y0 + 1);
                double wy = fy - y0;
                for (int x = 0; x < toWidth; x++) {
                    double fx = clamp(left + (x + 0.5) * sx - 0.5, width - 1);
                    int x0 = (int) fx;
                    int x1 = Math.min(width - 1, x0 + 1);
                    double wx = fx - x0;
                    double v = (1 - wy) * ((1 - wx) * u(src, in + y0 * width + x0) + wx * u(src, in + y0 * width + x1))
                            + wy * ((1 - wx) * u(src, in + y1 * width + x0) + wx * u(src, in + y1 * width + x1));
                    out[o + y * toWidth + x] = (byte) Math.min(255, Math.round(v));
                }
            }
        }
        return out;
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(max, v));
    }

    private static int u(byte[] a, int i) {
        return a[i] & 0xff;
    }
}
