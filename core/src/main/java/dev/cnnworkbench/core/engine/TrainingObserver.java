package dev.cnnworkbench.core.engine;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Watches one training run from inside the training loop: snapshot ensembles, diagnostics, checkpoints. Built per
 * run by {@link TrainingObservers#forRun}. Called on the training thread only, in this order: {@link #trainingStarted}
 * once before the first mini-batch (the place to attach DL4J listeners), {@link #iterationDone}
 * after every mini-batch, {@link #epochDone} after each epoch's validation, {@link #trainingDone} once after the test
 * evaluation (also after an early stop). An observer may read the network, record metrics through
 * {@link TrainingContext#sink()} and write files under {@link TrainingContext#artifactDir()}; it never changes the
 * network's parameters.
 */
public interface TrainingObserver {

    /** Once, before the first mini-batch. */
    default void trainingStarted(ComputationGraph net) {
    }

    /** After the mini-batch that made {@code iterationsDone} iterations in all, during epoch {@code epoch}. */
    default void iterationDone(ComputationGraph net, long iterationsDone, int epoch) {
    }

    /** After epoch {@code epoch} and its validation; {@code epochMetrics} holds what the trainer recorded for it. */
    default void epochDone(ComputationGraph net, int epoch, Map<String, Double> epochMetrics) {
    }

    /**
     * Once, after training and the test evaluation, which {@code evaluations} holds (with the last validation's, when
     * it still describes {@code net}).
     *
     * @return final metrics to add to the run's result (e.g. the ensemble's test accuracy); empty for none
     */
    default Map<String, Double> trainingDone(ComputationGraph net, long iterationsDone, int lastEpoch,
                                             FinalEvaluations evaluations) {
        return Map.of();
    }
}
