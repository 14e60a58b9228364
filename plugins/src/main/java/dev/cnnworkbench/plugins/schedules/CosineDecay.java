package dev.cnnworkbench.plugins.schedules;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cosine annealing over a budget of {@code iterations} (no restarts):
 * {@code lr(t) = lr_end + (lr0 - lr_end) / 2 * (1 + cos(pi * min(t, T) / T))}, {@code t} the 0-based iteration.
 */
public final class CosineDecay implements ISchedule {

    @JsonProperty
    private final double initialValue;
    @JsonProperty
    private final double finalValue;
    @JsonProperty
    private final int iterations;

    @JsonCreator
    public CosineDecay(@JsonProperty("initialValue") double initialValue,
                       @JsonProperty("finalValue") double finalValue,
                       @JsonProperty("iterations") int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        this.initialValue = initialValue;
        this.finalValue = finalValue;
        this.iterations = iterations;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double progress = Math.min(iteration, iterations) / (double) iterations;
        return finalValue + (initialValue - finalValue) / 2 * (1 + Math.cos(Math.PI * progress));
    }

    @Override
    public CosineDecay clone() {
        return new CosineDecay(initialValue, finalValue, iterations);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineDecay s && Double.compare(s.initialValue, initialValue) == 0
                && Double.compare(s.finalValue, finalValue) == 0 && s.iterations == iterations;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialValue, finalValue, iterations);
    }

    @Override
    public String toString() {
        return "CosineDecay(" + initialValue + " -> " + finalValue + " over " + iterations + " iterations)";
    }
}
