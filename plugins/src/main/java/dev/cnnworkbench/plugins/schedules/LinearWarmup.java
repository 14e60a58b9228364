package dev.cnnworkbench.plugins.schedules;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Linear warm-up in front of any schedule: {@code lr(t) = inner(t) * min(1, (t + 1) / W)}, {@code t} the
 * 0-based iteration. The inner schedule keeps its own clock, so a budget-long schedule (cosine, snapshot) still
 * ends where it would without warm-up.
 */
public final class LinearWarmup implements ISchedule {

    @JsonProperty
    private final ISchedule then;
    @JsonProperty
    private final int iterations;

    @JsonCreator
    public LinearWarmup(@JsonProperty("then") ISchedule then, @JsonProperty("iterations") int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        this.then = Objects.requireNonNull(then, "then");
        this.iterations = iterations;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return then.valueAt(iteration, epoch) * Math.min(1.0, (iteration + 1) / (double) iterations);
    }

    @Override
    public LinearWarmup clone() {
        return new LinearWarmup(then.clone(), iterations);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearWarmup s && s.iterations == iterations && s.then.equals(then);
    }

    @Override
    public int hashCode() {
        return Objects.hash(then, iterations);
    }

    @Override
    public String toString() {
        return "LinearWarmup(" + iterations + " iterations, then " + then + ")";
    }
}
