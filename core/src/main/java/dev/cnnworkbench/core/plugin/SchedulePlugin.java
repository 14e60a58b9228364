package dev.cnnworkbench.core.plugin;

import org.nd4j.linalg.schedule.ISchedule;

/** A learning-rate schedule: the rate as a function of iteration and epoch. */
public interface SchedulePlugin extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.SCHEDULE;
    }

    /**
     * Builds the schedule. The returned object is serialised into the model's configuration by DL4J's
     * Jackson mapper, so custom implementations need a Jackson-friendly form.
     *
     * @param baseRate        the optimizer's base learning rate
     * @param itersPerEpoch   iterations (mini-batches) in one epoch
     * @param totalIterations iterations in the whole training budget
     */
    ISchedule build(Params params, double baseRate, int itersPerEpoch, int totalIterations);
}
