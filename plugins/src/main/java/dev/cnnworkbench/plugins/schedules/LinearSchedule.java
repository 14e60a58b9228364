package dev.cnnworkbench.plugins.schedules;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.SchedulePlugin;
import java.util.List;
import org.nd4j.linalg.schedule.ISchedule;

/** Linear decay from the base rate to {@code final_factor * lr0} over the whole training budget. */
public final class LinearSchedule implements SchedulePlugin {

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public String help() {
        return "linear decay from lr0 to final_factor * lr0 over the training budget";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ScheduleParams.FINAL_FACTOR);
    }

    @Override
    public ISchedule build(Params params, double baseRate, int itersPerEpoch, int totalIterations) {
        return new LinearDecay(baseRate, baseRate * params.getDouble("final_factor"), totalIterations);
    }
}
