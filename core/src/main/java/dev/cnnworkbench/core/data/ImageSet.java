package dev.cnnworkbench.core.data;

import java.util.Objects;

/**
 * Labelled images held in memory: pixels as floats in {@code [0, 1]}, channel-first ({@code NCHW}),
 * one contiguous array. Immutable by convention: no one writes into the arrays after construction.
 */
public record ImageSet(float[] pixels, int[] labels, int channels, int height, int width, int classes) {

    public ImageSet {
        Objects.requireNonNull(pixels);
        Objects.requireNonNull(labels);
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " values, expected "
                    + labels.length + " x " + channels + " x " + height + " x " + width);
        }
    }

    public int size() {
        return labels.length;
    }

    /** Values per image. */
    public int imageSize() {
        return channels * height * width;
    }

    /** The images at {@code indices}, in that order, as a new set. */
    public ImageSet select(int[] indices) {
        int d = imageSize();
        float[] px = new float[indices.length * d];
        int[] lb = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * d, px, i * d, d);
            lb[i] = labels[indices[i]];
        }
        return new ImageSet(px, lb, channels, height, width, classes);
    }
}
