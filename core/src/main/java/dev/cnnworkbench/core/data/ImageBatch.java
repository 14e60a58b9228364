package dev.cnnworkbench.core.data;

/**
 * One mini-batch as augmentations see it: images {@code NCHW} and labels as per-class probabilities
 * (one-hot, unless a label-mixing transform changed them). Mutable and owned by one thread: the
 * trainer hands it to each augmentation in turn, then copies it into the network's input.
 */
public final class ImageBatch {

    private final float[] images;
    private final float[] labels;
    private final int size;
    private final int channels;
    private final int height;
    private final int width;
    private final int classes;

    public ImageBatch(float[] images, float[] labels, int size, int channels, int height, int width, int classes) {
        this.images = images;
        this.labels = labels;
        this.size = size;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
    }

    /** Pixel values, {@code size * channels * height * width}, channel-first. Written in place. */
    public float[] images() {
        return images;
    }

    /** Label probabilities, {@code size * classes}. Written in place by label-mixing transforms. */
    public float[] labels() {
        return labels;
    }

    public int size() {
        return size;
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

    public int imageSize() {
        return channels * height * width;
    }
}
