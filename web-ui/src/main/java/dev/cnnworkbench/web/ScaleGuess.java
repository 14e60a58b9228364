package dev.cnnworkbench.web;

import java.util.Arrays;

/**
 * Whether a swept parameter's values were drawn on a log scale. The store does not keep a sweep's domains (a trial's
 * recorded spec is the base spec with the trial's values set), so the dashboard infers it from the values: positive,
 * spread over at least a decade, and more evenly spread in log space than in linear space (a Kolmogorov-Smirnov
 * distance to the uniform distribution over the values' own range). A {@code loguniform} or {@code qloguniform}
 * sample, or a log-spaced grid, passes; a {@code uniform} sample or a linear grid does not. Pure functions.
 */
final class ScaleGuess {

    /** Smallest ratio of largest to smallest value shown on a log axis. */
    static final double MIN_RATIO = 10;

    private ScaleGuess() {
    }

    static boolean logScale(double[] values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length < 2 || v[0] <= 0 || v[v.length - 1] / v[0] < MIN_RATIO) {
            return false;
        }
        double[] logs = Arrays.stream(v).map(Math::log).toArray();
        return distanceToUniform(logs) < distanceToUniform(v);
    }

    /** The KS distance between the sorted values' empirical distribution and the uniform one over their range. */
    static double distanceToUniform(double[] sorted) {
        double lo = sorted[0];
        double span = sorted[sorted.length - 1] - lo;
        if (span <= 0) {
            return 0;
        }
        int n = sorted.length;
        double d = 0;
        for (int i = 0; i < n; i++) {
            double u = (sorted[i] - lo) / span;
            d = Math.max(d, Math.max((i + 1.0) / n - u, u - (double) i / n));
        }
        return d;
    }
}
