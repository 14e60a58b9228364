package dev.cnnworkbench.plugins.schedules;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.SchedulePlugin;
import java.util.List;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** Exponential decay per epoch: {@code lr0 * gamma^epoch}. */
public final class ExponentialSchedule implements SchedulePlugin {

    @Override
    public String name() {
        return "exponential";
    }

    @Override
    public String help() {
        return "lr0 * gamma^epoch (e.g. gamma 0.95)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ParamSpec.number("gamma", 0.95, 0.0, 1.0, "decay per epoch"));
    }

    @Override
    public ISchedule build(Params params, double baseRate, int itersPerEpoch, int totalIterations) {
        return new org.nd4j.linalg.schedule.ExponentialSchedule(ScheduleType.EPOCH, baseRate, params.getDouble("gamma"));
    }
}
