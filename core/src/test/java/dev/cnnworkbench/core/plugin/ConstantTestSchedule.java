package dev.cnnworkbench.core.plugin;

import java.util.List;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

/** A learning-rate schedule plugin for core's tests (the built-in ones live in the plugins module): the base rate. */
public final class ConstantTestSchedule implements SchedulePlugin {

    public static final ConstantTestSchedule INSTANCE = new ConstantTestSchedule();

    private ConstantTestSchedule() {
    }

    @Override
    public String name() {
        return "constant";
    }

    @Override
    public String help() {
        return "test constant";
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
