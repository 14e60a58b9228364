package dev.cnnworkbench.plugins.schedules;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.SchedulePlugin;
import java.util.List;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;

/** Inverse-time decay: {@code lr0 / (1 + k * epoch)} (or per iteration). */
public final class InverseTimeSchedule implements SchedulePlugin {

    @Override
    public String name() {
        return "inverse-time";
    }

    @Override
    public String help() {
        return "lr0 / (1 + decay_rate * epoch)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ScheduleParams.DECAY_RATE, ScheduleParams.PER);
    }

    @Override
    public ISchedule build(Params params, double baseRate, int itersPerEpoch, int totalIterations) {
        return new InverseSchedule(ScheduleParams.per(params), baseRate, params.getDouble("decay_rate"), 1.0);
    }
}
