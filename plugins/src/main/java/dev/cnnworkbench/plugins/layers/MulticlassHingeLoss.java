package dev.cnnworkbench.plugins.layers;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The multiclass SVM (hinge) loss of the lecture notes, {@code L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + 1)} on
 * the scores {@code s}, which DL4J does not ship (its {@code LossHinge} is the binary one). Labels that are not
 * one-hot (after mixup) are read as a distribution over the true class: {@code L_i = sum_k y_ik * sum_{j != k}
 * max(0, s_j - s_k + 1)}, which is the notes' loss for one-hot labels. The gradient is taken as 0 at the hinge.
 * Masks, if any, are per example ({@code [N, 1]}).
 */
public final class MulticlassHingeLoss implements ILossFunction {

    private static final double MARGIN = 1.0;

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        INDArray perExample = computeScoreArray(labels, preOutput, activationFn, mask);
        double score = perExample.sumNumber().doubleValue();
        return average ? score / perExample.size(0) : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return lossAndGradient(labels, preOutput, activationFn, mask, false).getFirst();
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return lossAndGradient(labels, preOutput, activationFn, mask, true).getSecond();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        Pair<INDArray, INDArray> both = lossAndGradient(labels, preOutput, activationFn, mask, true);
        double score = both.getFirst().sumNumber().doubleValue();
        return new Pair<>(average ? score / preOutput.size(0) : score, both.getSecond());
    }

    /** Per-example losses {@code [N, 1]} and, when asked, the gradient with respect to {@code preOutput}. */
    private static Pair<INDArray, INDArray> lossAndGradient(INDArray labels, INDArray preOutput,
                                                            IActivation activationFn, INDArray mask, boolean grad) {
        if (!labels.equalShapes(preOutput)) {
            throw new IllegalArgumentException("labels and scores must have equal shapes, got "
                    + Arrays.toString(labels.shape()) + " and " + Arrays.toString(preOutput.shape()));
        }
        INDArray s = activationFn.getActivation(preOutput.dup(), true);
        INDArray y = labels.castTo(s.dataType());
        long n = s.size(0);
        long classes = s.size(1);
        INDArray loss = Nd4j.zeros(s.dataType(), n, 1);
        INDArray dScores = grad ? Nd4j.zeros(s.dataType(), n, classes) : null;
        for (int k = 0; k < classes; k++) {
            INDArray yk = y.getColumn(k, true);
            INDArray margins = s.subColumnVector(s.getColumn(k, true)).addi(MARGIN);
            margins.getColumn(k, true).assign(0);
            loss.addi(Transforms.relu(margins, true).sum(true, 1).muli(yk));
            if (grad) {
                INDArray active = margins.gt(0).castTo(s.dataType());
                dScores.addi(active.mulColumnVector(yk));
                dScores.getColumn(k, true).subi(active.sum(true, 1).muli(yk));
            }
        }
        if (mask != null) {
            if (mask.rank() != 2 || mask.size(1) != 1) {
                throw new UnsupportedOperationException("the hinge loss takes per-example masks [N, 1] only");
            }
            INDArray m = mask.castTo(s.dataType());
            loss.muli(m);
            if (grad) {
                dScores.muliColumnVector(m);
            }
        }
        INDArray dPre = grad ? activationFn.backprop(preOutput.dup(), dScores).getFirst() : null;
        return new Pair<>(loss, dPre);
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MulticlassHingeLoss;
    }

    @Override
    public int hashCode() {
        return MulticlassHingeLoss.class.hashCode();
    }

    @Override
    public String toString() {
        return "MulticlassHingeLoss()";
    }
}
