package dev.cnnworkbench.plugins.schedules;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.SchedulePlugin;
import java.util.List;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

/** The base learning rate throughout. */
public final class ConstantSchedule implements SchedulePlugin {

    @Override
    public String name() {
        return "constant";
    }

    @Override
    public String help() {
        return "the optimizer's learning rate, unchanged";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of();
    }

    @Override
    public ISchedule build(Params params, double baseRate, int itersPerEpoch, int totalIterations) {
        return new FixedSchedule(baseRate);
    }
}
