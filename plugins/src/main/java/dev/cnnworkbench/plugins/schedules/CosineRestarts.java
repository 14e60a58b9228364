package dev.cnnworkbench.plugins.schedules;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * SGDR (Loshchilov and Hutter): cosine annealing restarted at the end of each cycle, cycle {@code i} lasting
 * {@code T_i = T0 * Tmult^i} iterations; within a cycle
 * {@code lr = lr_min + (lr0 - lr_min) / 2 * (1 + cos(pi * T_cur / T_i))}, {@code T_cur} the iterations since the
 * last restart.
 */
public final class CosineRestarts implements ISchedule {

    @JsonProperty
    private final double initialValue;
    @JsonProperty
    private final double minValue;
    @JsonProperty
    private final int firstCycle;
    @JsonProperty
    private final int cycleMultiplier;

    @JsonCreator
    public CosineRestarts(@JsonProperty("initialValue") double initialValue,
                          @JsonProperty("minValue") double minValue,
                          @JsonProperty("firstCycle") int firstCycle,
                          @JsonProperty("cycleMultiplier") int cycleMultiplier) {
        if (firstCycle < 1 || cycleMultiplier < 1) {
            throw new IllegalArgumentException("firstCycle and cycleMultiplier must be >= 1, got "
                    + firstCycle + " and " + cycleMultiplier);
        }
        this.initialValue = initialValue;
        this.minValue = minValue;
        this.firstCycle = firstCycle;
        this.cycleMultiplier = cycleMultiplier;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        long current = iteration;
        long length = firstCycle;
        while (current >= length) {
            current -= length;
            length *= cycleMultiplier;
        }
        return minValue + (initialValue - minValue) / 2 * (1 + Math.cos(Math.PI * current / length));
    }

    @Override
    public CosineRestarts clone() {
        return new CosineRestarts(initialValue, minValue, firstCycle, cycleMultiplier);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosineRestarts s && Double.compare(s.initialValue, initialValue) == 0
                && Double.compare(s.minValue, minValue) == 0 && s.firstCycle == firstCycle
                && s.cycleMultiplier == cycleMultiplier;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialValue, minValue, firstCycle, cycleMultiplier);
    }

    @Override
    public String toString() {
        return "CosineRestarts(" + initialValue + " -> " + minValue + ", T0=" + firstCycle + ", Tmult="
                + cycleMultiplier + ")";
    }
}
