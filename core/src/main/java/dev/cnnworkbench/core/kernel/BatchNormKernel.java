package dev.cnnworkbench.core.kernel;

import java.nio.FloatBuffer;

/**
 * The passes of batch normalization over float data laid out {@code [examples][channels][plane]} (NCHW activations,
 * the plane being height x width; a dense layer's activations are planes of one), each pass one sweep over memory:
 * the batch statistics in one read, the normalised output in one read and one write, and the backward pass in one
 * read of input and gradient for the sums and one more to write the input's gradient. DL4J 1.0.0-M2.1's oneDNN path
 * makes about five times as many sweeps (separate mean and variance reductions before oneDNN's kernel, about eight
 * broadcast passes after its backward kernel).
 *
 * <p>Values are copied a few pages at a time into a Java array and back (bulk copies), and computed there without
 * branches. Per channel, sums are taken in float over at most one plane and added in double; the variance is taken
 * around the channel's first value, so a large mean costs no precision. Each pass runs on the calling thread alone: a
 * second thread made a ResNet-20 step no faster (DL4J's OpenMP threads spin on the other core between their kernels,
 * and these passes are bound by memory). Buffers are read and written with absolute calls, so callers may share them.
 * Thread-safe.
 */
public final class BatchNormKernel {

    /** Floats copied at a time from a native buffer into a Java array: a few pages, well inside L1/L2. */
    private static final int CHUNK = 4096;

    /** The layout: {@code examples x channels x plane} floats, channel-major within an example. */
    public record Layout(int examples, int channels, int plane) {
        public Layout {
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
    }

    private BatchNormKernel() {
    }

    /**
     * The mean and the biased variance (divided by examples x plane) of each channel of {@code x}, into {@code mean}
     * and {@code variance}.
     */
    public static void statistics(FloatBuffer x, Layout layout, float[] mean, float[] variance) {
        int channels = layout.channels();
        double[] sum = new double[channels];
        double[] squares = new double[channels];
        float[] pivot = new float[channels];
        for (int c = 0; c < channels; c++) {
            pivot[c] = x.get(c * layout.plane());
        }
        float[] buf = new float[CHUNK];
        forEachRun(layout, (c, len, at) -> {
            x.get(at, buf, 0, len);
            float k = pivot[c];
            float s0 = 0, s1 = 0, q0 = 0, q1 = 0;
            int i = 0;
            for (; i + 1 < len; i += 2) {
                float d0 = buf[i] - k;
                float d1 = buf[i + 1] - k;
                s0 += d0;
                s1 += d1;
                q0 += d0 * d0;
                q1 += d1 * d1;
            }
            if (i < len) {
                float d = buf[i] - k;
                s0 += d;
                q0 += d * d;
            }
            sum[c] += (double) s0 + s1;
            squares[c] += (double) q0 + q1;
        });
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / layout.count();
            mean[c] = (float) (pivot[c] + m);
            variance[c] = (float) Math.max(0, squares[c] / layout.count() - m * m);
        }
    }

    /** {@code y = x * scale[c] + shift[c]} for every value of every channel {@code c}. */
    public static void affine(FloatBuffer x, FloatBuffer y, Layout layout, float[] scale, float[] shift) {
        float[] buf = new float[CHUNK];
        forEachRun(layout, (c, len, at) -> {
            x.get(at, buf, 0, len);
            float a = scale[c];
            float b = shift[c];
            for (int i = 0; i < len; i++) {
                buf[i] = buf[i] * a + b;
            }
            y.put(at, buf, 0, len);
        });
    }

    /** Per channel, the sum of the output gradient {@code dy} and of {@code dy * x}, added to the two arrays. */
    public static void gradientSums(FloatBuffer x, FloatBuffer dy, Layout layout, double[] sumDy, double[] sumDyX) {
        float[] xs = new float[CHUNK];
        float[] gs = new float[CHUNK];
        forEachRun(layout, (c, len, at) -> {
            x.get(at, xs, 0, len);
            dy.get(at, gs, 0, len);
            float s0 = 0, s1 = 0, t0 = 0, t1 = 0;
            int i = 0;
            for (; i + 1 < len; i += 2) {
                s0 += gs[i];
                s1 += gs[i + 1];
                t0 += gs[i] * xs[i];
                t1 += gs[i + 1] * xs[i + 1];
            }
            if (i < len) {
                s0 += gs[i];
                t0 += gs[i] * xs[i];
            }
            sumDy[c] += (double) s0 + s1;
            sumDyX[c] += (double) t0 + t1;
        });
    }

    /** {@code dx = a[c] * dy + b[c] * x + k[c]} for every value of every channel {@code c}. */
    public static void combine(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, Layout layout, float[] a, float[] b,
                               float[] k) {
        float[] xs = new float[CHUNK];
        float[] gs = new float[CHUNK];
        forEachRun(layout, (c, len, at) -> {
            x.get(at, xs, 0, len);
            dy.get(at, gs, 0, len);
            float ac = a[c];
            float bc = b[c];
            float kc = k[c];
            for (int i = 0; i < len; i++) {
                gs[i] = ac * gs[i] + bc * xs[i] + kc;
            }
            dx.put(at, gs, 0, len);
        });
    }

    /** A contiguous run of {@code length} values of channel {@code c}, starting at index {@code at}. */
    private interface Run {
        void accept(int c, int length, int at);
    }

    /** Every value in memory order, as runs of at most {@link #CHUNK} values of one channel. */
    private static void forEachRun(Layout layout, Run run) {
        int plane = layout.plane();
        int at = 0;
        for (int n = 0; n < layout.examples(); n++) {
            for (int c = 0; c < layout.channels(); c++) {
                for (int p = 0; p < plane; p += CHUNK) {
                    int len = Math.min(CHUNK, plane - p);
                    run.accept(c, len, at);
                    at += len;
                }
            }
        }
    }
}
