package dev.cnnworkbench.plugins.schedules;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A rate falling linearly from {@code initialValue} at iteration 0 to {@code finalValue} at iteration
 * {@code iterations}, and constant after: {@code lr(t) = lr0 + (lr_end - lr0) * min(t, T) / T}. A Jackson bean,
 * since DL4J writes schedules into the model configuration.
 */
public final class LinearDecay implements ISchedule {

    @JsonProperty
    private final double initialValue;
    @JsonProperty
    private final double finalValue;
    @JsonProperty
    private final int iterations;

    @JsonCreator
    public LinearDecay(@JsonProperty("initialValue") double initialValue,
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
        return initialValue + (finalValue - initialValue) * progress;
    }

    @Override
    public LinearDecay clone() {
        return new LinearDecay(initialValue, finalValue, iterations);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearDecay s && Double.compare(s.initialValue, initialValue) == 0
                && Double.compare(s.finalValue, finalValue) == 0 && s.iterations == iterations;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialValue, finalValue, iterations);
    }

    @Override
    public String toString() {
        return "LinearDecay(" + initialValue + " -> " + finalValue + " over " + iterations + " iterations)";
    }
}
