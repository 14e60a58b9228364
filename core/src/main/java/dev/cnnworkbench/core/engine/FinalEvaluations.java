package dev.cnnworkbench.core.engine;

/**
 * The evaluations the trainer made of the network it hands to {@link TrainingObserver#trainingDone}, so that an
 * observer need not score the same images again (on LeNet, the 10,000 test images take about a second).
 *
 * @param test       on the test set; {@code null} when not made
 * @param validation on the validation set, when the last epoch's still describes the network ({@code null} when the
 *                   best epoch's weights were restored after it, or there is no validation set)
 */
public record FinalEvaluations(Evaluation test, Evaluation validation) {

    /** None made: an observer that needs one evaluates the network itself. */
    public static final FinalEvaluations NONE = new FinalEvaluations(null, null);
}
