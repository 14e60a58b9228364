package dev.cnnworkbench.core.engine;

import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads the training forward pass's output to score the mini-batch being trained on, so training
 * accuracy costs no second forward pass. Used by one training thread.
 */
final class TrainAccuracyListener extends BaseTrainingListener {

    private final String outputVertex;
    private INDArray labels;
    private double accuracy = Double.NaN;

    TrainAccuracyListener(String outputVertex) {
        this.outputVertex = outputVertex;
    }

    /** Sets the labels of the batch about to be fitted. */
    void expect(INDArray labels) {
        this.labels = labels;
        this.accuracy = Double.NaN;
    }

    /** The accuracy of the last fitted batch, measured before its update. */
    double accuracy() {
        return accuracy;
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        INDArray out = activations.get(outputVertex);
        if (out != null && labels != null) {
            accuracy = Evaluator.accuracy(out, labels);
        }
    }
}
