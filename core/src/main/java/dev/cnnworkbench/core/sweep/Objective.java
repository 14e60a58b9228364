package dev.cnnworkbench.core.sweep;

import java.util.Comparator;

/**
 * What a sweep optimises: a metric of each trial's run (its last value) and whether larger is better.
 *
 * @param metric    e.g. {@code val_accuracy}, {@code val_loss}, {@code test_accuracy}
 * @param direction {@code max} or {@code min}
 */
public record Objective(String metric, Direction direction) {

    /** Which way is better. */
    public enum Direction {
        MAX, MIN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Objective {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric must be a metric name");
        }
        java.util.Objects.requireNonNull(direction, "direction");
    }

    /** Whether {@code a} is strictly better than {@code b}; a NaN or missing value is worse than any number. */
    public boolean better(Double a, Double b) {
        return order().compare(a, b) < 0;
    }

    /** Best first; NaN and {@code null} last. */
    public Comparator<Double> order() {
        return (a, b) -> {
            boolean aBad = a == null || a.isNaN();
            boolean bBad = b == null || b.isNaN();
            if (aBad || bBad) {
                return Boolean.compare(aBad, bBad);
            }
            return direction == Direction.MAX ? Double.compare(b, a) : Double.compare(a, b);
        };
    }
}
