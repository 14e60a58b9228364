package dev.cnnworkbench.core.kernel;

/**
 * How float values lie in memory for the kernels: {@code examples x channels x plane}, channel-major within an
 * example (NCHW activations, the plane being height x width; a dense layer's activations are planes of one; a flat
 * array is one example of one channel). The kernels sweep it in {@link #forEachRun runs}: a few pages of one channel
 * at a time, copied in bulk into a Java array, computed there and copied back.
 *
 * @param examples the first dimension
 * @param channels the second
 * @param plane    the values of one channel of one example
 */
public record ChannelLayout(int examples, int channels, int plane) {

    /** Floats copied at a time between a native buffer and a Java array: a few pages, well inside L1/L2. */
    static final int CHUNK = 4096;

    public ChannelLayout {
        if (examples < 1 || channels < 1 || plane < 1) {
            throw new IllegalArgumentException("empty layout " + examples + "x" + channels + "x" + plane);
        }
        if ((long) examples * channels * plane > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("more than 2^31 values: " + examples + "x" + channels + "x" + plane);
        }
    }

    /** Values per channel: examples x plane. */
    long count() {
        return (long) examples * plane;
    }

    /** All values. */
    int length() {
        return examples * channels * plane;
    }

    /** A contiguous run of {@code length} values of channel {@code c}, starting at index {@code at}. */
    interface Run {
        void accept(int c, int length, int at);
    }

    /** Every value in memory order, as runs of at most {@link #CHUNK} values of one channel. */
    void forEachRun(Run run) {
        int at = 0;
        for (int n = 0; n < examples; n++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p += CHUNK) {
                    int len = Math.min(CHUNK, plane - p);
                    run.accept(c, len, at);
                    at += len;
                }
            }
        }
    }
}
