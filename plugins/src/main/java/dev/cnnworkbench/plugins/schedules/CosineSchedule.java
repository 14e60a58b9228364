package dev.cnnworkbench.plugins.schedules;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.SchedulePlugin;
import java.util.List;
import org.nd4j.linalg.schedule.ISchedule;

/** Half-cosine annealing from the base rate to {@code final_factor * lr0} over the whole budget, no restarts. */
public final class CosineSchedule implements SchedulePlugin {

    @Override
    public String name() {
        return "cosine";
    }

    @Override
    public String help() {
        return "cosine annealing over the training budget: lr_end + (lr0 - lr_end)/2 * (1 + cos(pi t/T))";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ScheduleParams.FINAL_FACTOR);
    }

    @Override
    public ISchedule build(Params params, double baseRate, int itersPerEpoch, int totalIterations) {
        return new CosineDecay(baseRate, baseRate * params.getDouble("final_factor"), totalIterations);
    }
}
