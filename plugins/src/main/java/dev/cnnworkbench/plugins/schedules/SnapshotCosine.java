package dev.cnnworkbench.plugins.schedules;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The snapshot-ensemble schedule (Huang et al.): {@code M} cosine cycles over {@code T} iterations,
 * {@code lr(t) = lr0 / 2 * (cos(pi * mod(t - 1, ceil(T/M)) / ceil(T/M)) + 1)} with {@code t} the 1-based
 * iteration (DL4J's 0-based iteration plus one). The rate restarts at {@code lr0} at the start of every cycle and
 * falls towards 0 at its end, where a snapshot is taken.
 */
public final class SnapshotCosine implements ISchedule {

    @JsonProperty
    private final double initialValue;
    @JsonProperty
    private final int totalIterations;
    @JsonProperty
    private final int cycles;

    @JsonCreator
    public SnapshotCosine(@JsonProperty("initialValue") double initialValue,
                          @JsonProperty("totalIterations") int totalIterations,
                          @JsonProperty("cycles") int cycles) {
        if (totalIterations < 1 || cycles < 1) {
            throw new IllegalArgumentException("totalIterations and cycles must be >= 1, got "
                    + totalIterations + " and " + cycles);
        }
        this.initialValue = initialValue;
        this.totalIterations = totalIterations;
        this.cycles = cycles;
    }

    /** Iterations per cycle, {@code ceil(T / M)}: the last iteration of each cycle is a snapshot point. */
    public int cycleLength() {
        return (totalIterations + cycles - 1) / cycles;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        int length = cycleLength();
        int t = iteration + 1;
        return initialValue / 2 * (Math.cos(Math.PI * Math.floorMod(t - 1, length) / length) + 1);
    }

    @Override
    public SnapshotCosine clone() {
        return new SnapshotCosine(initialValue, totalIterations, cycles);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotCosine s && Double.compare(s.initialValue, initialValue) == 0
                && s.totalIterations == totalIterations && s.cycles == cycles;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialValue, totalIterations, cycles);
    }

    @Override
    public String toString() {
        return "SnapshotCosine(" + initialValue + ", " + cycles + " cycles over " + totalIterations + " iterations)";
    }
}
