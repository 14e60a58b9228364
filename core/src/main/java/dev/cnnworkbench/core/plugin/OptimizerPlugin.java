package dev.cnnworkbench.core.plugin;

import java.util.List;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
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

    /**
     * Regularization the update rule itself implies, applied to every layer's weights after the update
     * (e.g. AdamW's decoupled weight decay, which needs the parameters an updater never sees). Added to
     * the spec's own {@code regularization} section.
     */
    default List<Regularization> regularization(Params params) {
        return List.of();
    }
}
