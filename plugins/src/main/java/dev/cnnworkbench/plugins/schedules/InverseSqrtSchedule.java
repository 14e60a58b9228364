package dev.cnnworkbench.plugins.schedules;

import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.plugin.SchedulePlugin;
import java.util.List;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;

/**
 * Inverse square-root decay: {@code lr0 / sqrt(1 + k * epoch)}; with {@code k = 1} this is the notes'
 * {@code lr0 / sqrt(epoch_num)} counting epochs from 1.
 */
public final class InverseSqrtSchedule implements SchedulePlugin {

    @Override
    public String name() {
        return "inverse-sqrt";
    }

    @Override
    public String help() {
        return "lr0 / sqrt(1 + decay_rate * epoch)";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ScheduleParams.DECAY_RATE, ScheduleParams.PER);
    }

    @Override
    public ISchedule build(Params params, double baseRate, int itersPerEpoch, int totalIterations) {
        return new InverseSchedule(ScheduleParams.per(params), baseRate, params.getDouble("decay_rate"), 0.5);
    }
}
