package dev.cnnworkbench.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Labelled images, channel-first ({@code NCHW}), read as floats. Two kinds, one interface:
 * <ul>
 * <li>held in memory as floats (in {@code [0, 1]} by convention; built with the public constructor), or</li>
 * <li>a view of rows of an {@link ImageStore} (uint8, on the heap or in a file of the data cache), converted
 * to floats {@code v / 255} and then normalised by a {@link Normalization} as images are read; such a set costs
 * no memory per image beyond its row index, whatever the data set's size.</li>
 * </ul>
 * An in-memory set is normalised once, into a new array, by {@link #normalized}.
 * Immutable: no one writes into the arrays after construction; safe to read from several threads.
 */
public final class ImageSet {

    private final float[] pixels;
    private final ImageStore store;
    private final int[] rows;
    private final Normalization normalization;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final int classes;

    /** Images held in memory: {@code pixels} holds {@code labels.length * channels * height * width} values. */
    public ImageSet(float[] pixels, int[] labels, int channels, int height, int width, int classes) {
        Objects.requireNonNull(pixels);
        Objects.requireNonNull(labels);
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " values, expected "
                    + labels.length + " x " + channels + " x " + height + " x " + width);
        }
        this.pixels = pixels;
        this.store = null;
        this.rows = null;
        this.normalization = Normalization.NONE;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
    }

    private ImageSet(ImageStore store, int[] rows, int[] labels, int classes, Normalization normalization) {
        this.pixels = null;
        this.store = store;
        this.rows = rows;
        this.normalization = normalization;
        this.labels = labels;
        this.channels = store.channels();
        this.height = store.height();
        this.width = store.width();
        this.classes = classes;
    }

    /** The rows {@code rows} of {@code store} with labels {@code labels} (one per row) of {@code classes} classes. */
    public static ImageSet view(ImageStore store, int[] rows, int[] labels, int classes) {
        if (rows.length != labels.length) {
            throw new IllegalArgumentException(rows.length + " rows but " + labels.length + " labels");
        }
        return new ImageSet(store, rows, labels, classes, Normalization.NONE);
    }

    /**
     * This set read through {@code normalization} (replacing any earlier one). Only store-backed sets are
     * normalised; an in-memory set is returned as it is when {@code normalization} is {@link Normalization#NONE}.
     */
    public ImageSet normalized(Normalization normalization) {
        if (store != null) {
            return new ImageSet(store, rows, labels, classes, normalization);
        }
        if (normalization.isNone()) {
            return this;
        }
        // an in-memory set holds v / 255 already: normalise a copy of its values
        float[] out = pixels.clone();
        int plane = height * width;
        for (int i = 0; i < out.length; i++) {
            int c = (i / plane) % channels;
            out[i] = (out[i] - normalization.mean()[c]) / normalization.std()[c];
        }
        return new ImageSet(out, labels, channels, height, width, classes);
    }

    /** The same images with new labels (one per image) of {@code classes} classes. */
    public ImageSet relabelled(int[] labels, int classes) {
        return store == null ? new ImageSet(pixels, labels, channels, height, width, classes)
                : new ImageSet(store, rows, labels, classes, normalization);
    }

    public int size() {
        return labels.length;
    }

    /** Values per image. */
    public int imageSize() {
        return channels * height * width;
    }

    /** The label of each image. Callers must not write into it. */
    public int[] labels() {
        return labels;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int classes() {
        return classes;
    }

    /** How the images are normalised as they are read. */
    public Normalization normalization() {
        return normalization;
    }

    /**
     * Every value of the set. An in-memory set returns its own array (do not write into it); a store-backed set
     * builds a new one, so call it on small sets only and prefer {@link #pixels(int, int)} or {@link #copyImage}.
     */
    public float[] pixels() {
        return store == null ? pixels : pixels(0, size());
    }

    /** The values of images {@code from..to-1}, as a new array. */
    public float[] pixels(int from, int to) {
        int d = imageSize();
        if (store == null) {
            return Arrays.copyOfRange(pixels, from * d, to * d);
        }
        float[] out = new float[(to - from) * d];
        for (int i = from; i < to; i++) {
            copyImage(i, out, (i - from) * d);
        }
        return out;
    }

    /** Writes image {@code index}'s {@link #imageSize()} values into {@code dst} at {@code offset}. */
    public void copyImage(int index, float[] dst, int offset) {
        if (store == null) {
            System.arraycopy(pixels, index * imageSize(), dst, offset, imageSize());
        } else {
            store.copy(rows[index], dst, offset, normalization);
        }
    }

    /** The images at {@code indices}, in that order, as a new set (a new view for a store-backed set). */
    public ImageSet select(int[] indices) {
        int[] lb = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            lb[i] = labels[indices[i]];
        }
        if (store != null) {
            int[] r = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                r[i] = rows[indices[i]];
            }
            return new ImageSet(store, r, lb, classes, normalization);
        }
        int d = imageSize();
        float[] px = new float[indices.length * d];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * d, px, i * d, d);
        }
        return new ImageSet(px, lb, channels, height, width, classes);
    }
}
