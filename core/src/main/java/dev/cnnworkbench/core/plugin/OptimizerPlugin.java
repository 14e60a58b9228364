package dev.cnnworkbench.core.plugin;

import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/** An update rule: builds the DL4J updater that applies it. */
public interface OptimizerPlugin extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.OPTIMIZER;
    }

    /** The base learning rate of validated {@code params} (the schedule scales it). */
    double learningRate(Params params);

    /**
     * Builds the updater. {@code learningRate} is the schedule the spec chose, already scaled by the
     * base rate; an optimizer without a learning rate may ignore it.
     */
    IUpdater build(Params params, ISchedule learningRate);
}
