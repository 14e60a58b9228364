package dev.cnnworkbench.plugins.schedules;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.SchedulePlugin;
import java.util.List;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * SGDR, cosine annealing with warm restarts: the first cycle lasts {@code t0} epochs, each next one
 * {@code tmult} times longer; within a cycle the rate follows a half cosine from lr0 to
 * {@code final_factor * lr0}, advancing every iteration.
 */
public final class SgdrSchedule implements SchedulePlugin {

    @Override
    public String name() {
        return "sgdr";
    }

    @Override
    public String help() {
        return "cosine with warm restarts: cycles of t0, t0*tmult, t0*tmult^2, ... epochs";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(
                ParamSpec.integer("t0", 10, 1, null, "length of the first cycle, in epochs"),
                ParamSpec.integer("tmult", 2, 1, null, "each cycle is this many times longer than the one before"),
                ScheduleParams.FINAL_FACTOR);
    }

    @Override
    public ISchedule build(Params params, double baseRate, int itersPerEpoch, int totalIterations) {
        return new CosineRestarts(baseRate, baseRate * params.getDouble("final_factor"),
                params.getInt("t0") * itersPerEpoch, params.getInt("tmult"));
    }
}
