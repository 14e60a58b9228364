package dev.cnnworkbench.plugins.schedules;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.SchedulePlugin;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The snapshot-ensemble cosine: {@code cycles} equal cosine cycles over the training budget, each starting at
 * lr0 and falling towards 0, one snapshot per cycle end (see {@link SnapshotCosine}).
 */
public final class SnapshotSchedule implements SchedulePlugin {

    @Override
    public String name() {
        return "snapshot";
    }

    @Override
    public String help() {
        return "M cosine cycles over the budget: lr0/2 * (cos(pi * mod(t-1, ceil(T/M)) / ceil(T/M)) + 1)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ParamSpec.integer("cycles", 5, 1, null, "M, the number of cycles (and of snapshots)"));
    }

    @Override
    public ISchedule build(Params params, double baseRate, int itersPerEpoch, int totalIterations) {
        return new SnapshotCosine(baseRate, totalIterations, params.getInt("cycles"));
    }

    /**
     * When to take the snapshots: the number of iterations done at the end of each cycle,
     * {@code min(k * ceil(T/M), T)} for {@code k = 1..M} (fewer if T < M). For the trainer that keeps them.
     */
    public List<Integer> snapshotIterations(Params params, int itersPerEpoch, int totalIterations) {
        int cycles = params.getInt("cycles");
        int length = new SnapshotCosine(1.0, totalIterations, cycles).cycleLength();
        List<Integer> ends = new ArrayList<>();
        for (int k = 1; k <= cycles && (k - 1) * length < totalIterations; k++) {
            ends.add(Math.min(k * length, totalIterations));
        }
        return List.copyOf(ends);
    }
}
