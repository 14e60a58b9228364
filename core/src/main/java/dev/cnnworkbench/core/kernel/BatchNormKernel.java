package dev.cnnworkbench.core.kernel;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The passes of batch normalization over float data laid out {@code [examples][channels][plane]} (NCHW activations,
 * the plane being height x width; a dense layer's activations are planes of one), each pass one sweep over memory:
 * the batch statistics in one read, the normalised output in one read and one write, and the backward pass in one
 * read of input and gradient for the sums and one more to write the input's gradient. DL4J 1.0.0-M2.1's oneDNN path
 * makes about five times as many sweeps (separate mean and variance reductions before oneDNN's kernel, about eight
 * broadcast passes after its backward kernel).
 *
 * <p>Each pass splits the channels among {@code threads} threads (the calling thread and a shared pool of daemon
 * threads), so no two threads write the same memory. Per channel, sums are taken in float over at most one plane
 * and added in double; the variance is taken around the channel's first value, so a large mean costs no precision.
 * Buffers are read with absolute (position-independent) calls, so callers may share them. Thread-safe.
 */
public final class BatchNormKernel {

    /** Floats copied at a time from a native buffer into a thread's own array: a few pages, well inside L1/L2. */
    private static final int CHUNK = 4096;

    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "batch-norm");
        t.setDaemon(true);
        return t;
    });

    /** The layout: {@code examples x channels x plane} floats, channel-major within an example. */
    public record Layout(int examples, int channels, int plane) {
        public Layout {
            if (examples < 1 || channels < 1 || plane < 1) {
                throw new IllegalArgumentException("empty layout " + examples + "x" + channels + "x" + plane);
            }
        }

        long length() {
            return (long) examples * channels * plane;
        }
    }

    private BatchNormKernel() {
    }

    /**
     * The mean and the biased variance (divided by examples x plane) of each channel of {@code x}, into {@code mean}
     * and {@code variance}.
     */
    public static void statistics(FloatBuffer x, Layout layout, float[] mean, float[] variance, int threads) {
        long count = (long) layout.examples() * layout.plane();
        perChannels(layout, threads, (from, to) -> {
            float[] buf = new float[CHUNK];
            double[] sum = new double[to - from];
            double[] squares = new double[to - from];
            float[] pivot = new float[to - from];
            for (int c = from; c < to; c++) {
                pivot[c - from] = x.get(index(layout, 0, c, 0));
            }
            forEachRun(layout, from, to, (n, c, p, len, at) -> {
                x.get(at, buf, 0, len);
                float k = pivot[c - from];
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
                sum[c - from] += (double) s0 + s1;
                squares[c - from] += (double) q0 + q1;
            });
            for (int c = from; c < to; c++) {
                double m = sum[c - from] / count;
                mean[c] = (float) (pivot[c - from] + m);
                variance[c] = (float) Math.max(0, squares[c - from] / count - m * m);
            }
        });
    }

    /** {@code y = x * scale[c] + shift[c]} for every value of every channel {@code c}. */
    public static void affine(FloatBuffer x, FloatBuffer y, Layout layout, float[] scale, float[] shift, int threads) {
        perChannels(layout, threads, (from, to) -> {
            float[] buf = new float[CHUNK];
            forEachRun(layout, from, to, (n, c, p, len, at) -> {
                x.get(at, buf, 0, len);
                float a = scale[c];
                float b = shift[c];
                for (int i = 0; i < len; i++) {
                    buf[i] = buf[i] * a + b;
                }
                y.put(at, buf, 0, len);
            });
        });
    }

    /** Per channel, the sum of the output gradient {@code dy} and of {@code dy * x}, into the two arrays. */
    public static void gradientSums(FloatBuffer x, FloatBuffer dy, Layout layout, double[] sumDy, double[] sumDyX,
                                    int threads) {
        perChannels(layout, threads, (from, to) -> {
            float[] xs = new float[CHUNK];
            float[] gs = new float[CHUNK];
            forEachRun(layout, from, to, (n, c, p, len, at) -> {
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
        });
    }

    /** {@code dx = a[c] * dy + b[c] * x + k[c]} for every value of every channel {@code c}. */
    public static void combine(FloatBuffer x, FloatBuffer dy, FloatBuffer dx, Layout layout, float[] a, float[] b,
                               float[] k, int threads) {
        perChannels(layout, threads, (from, to) -> {
            float[] xs = new float[CHUNK];
            float[] gs = new float[CHUNK];
            forEachRun(layout, from, to, (n, c, p, len, at) -> {
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
        });
    }

    private static int index(Layout layout, int n, int c, int p) {
        return (int) (((long) n * layout.channels() + c) * layout.plane() + p);
    }

    /** A contiguous run of one channel's values: example {@code n}, channel {@code c}, from plane offset {@code p}. */
    private interface Run {
        void accept(int n, int c, int p, int length, int at);
    }

    private static void forEachRun(Layout layout, int from, int to, Run run) {
        int plane = layout.plane();
        for (int n = 0; n < layout.examples(); n++) {
            for (int c = from; c < to; c++) {
                int base = index(layout, n, c, 0);
                for (int p = 0; p < plane; p += CHUNK) {
                    int len = Math.min(CHUNK, plane - p);
                    run.accept(n, c, p, len, base + p);
                }
            }
        }
    }

    private interface Range {
        void run(int from, int to);
    }

    /** Runs {@code range} over {@code threads} contiguous slices of the channels, the first on the calling thread. */
    private static void perChannels(Layout layout, int threads, Range range) {
        if (layout.length() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("more than 2^31 values in one batch-norm layer: " + layout);
        }
        int slices = Math.max(1, Math.min(threads, layout.channels()));
        if (slices == 1 || layout.length() < 16_384) {
            range.run(0, layout.channels());
            return;
        }
        List<CompletableFuture<Void>> others = new ArrayList<>(slices - 1);
        for (int s = 1; s < slices; s++) {
            int from = bound(layout.channels(), slices, s);
            int to = bound(layout.channels(), slices, s + 1);
            others.add(CompletableFuture.runAsync(() -> range.run(from, to), POOL));
        }
        range.run(0, bound(layout.channels(), slices, 1));
        try {
            CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static int bound(int channels, int slices, int s) {
        return (int) ((long) channels * s / slices);
    }
}
