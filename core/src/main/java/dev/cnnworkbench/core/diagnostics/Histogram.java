package dev.cnnworkbench.core.diagnostics;

/**
 * Counts of values in {@code bins} equal-width bins spanning their finite minimum to maximum (the last bin closed);
 * non-finite values are counted apart. A constant tensor gets one bin around its value. Immutable.
 *
 * @param edges    {@code bins + 1} increasing bin edges
 * @param counts   values per bin
 * @param nonFinite NaN and infinite values, not in any bin
 * @param mean     mean of the finite values ({@code NaN} when none)
 * @param std      population standard deviation of the finite values
 */
record Histogram(double[] edges, long[] counts, long nonFinite, double mean, double std) {

    /** The number of bins every histogram of the diagnostics uses. */
    static final int BINS = 30;

    static Histogram of(float[] values, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSq = 0;
        long finite = 0;
        for (float v : values) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
                sumSq += (double) v * v;
                finite++;
            }
        }
        if (finite == 0) {
            return new Histogram(new double[] {0, 0}, new long[] {0}, values.length, Double.NaN, Double.NaN);
        }
        if (min == max) {
            return new Histogram(new double[] {min - 0.5, max + 0.5}, new long[] {finite}, values.length - finite,
                    min, 0);
        }
        double[] edges = new double[bins + 1];
        double width = (max - min) / bins;
        for (int i = 0; i <= bins; i++) {
            edges[i] = min + i * width;
        }
        edges[bins] = max;
        long[] counts = new long[bins];
        for (float v : values) {
            if (Float.isFinite(v)) {
                counts[Math.min(bins - 1, (int) ((v - min) / width))]++;
            }
        }
        double mean = sum / finite;
        return new Histogram(edges, counts, values.length - finite, mean,
                Math.sqrt(Math.max(0, sumSq / finite - mean * mean)));
    }

    long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }
}
