package dev.cnnworkbench.core.sanity;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.ResolvedPlugin;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Deliberately broken layers, swapped into a healthy experiment, for the checks that must catch them. */
final class BrokenLayers {

    private BrokenLayers() {
    }

    /** {@code experiment} with its layer {@code index} replaced by a test layer that {@code body} adds. */
    static Experiment replace(Experiment experiment, int index, Consumer<GraphAssembly> body) {
        List<ResolvedPlugin<LayerPlugin>> layers = new ArrayList<>(experiment.layers());
        layers.set(index, new ResolvedPlugin<>(plugin(body), Params.of(Map.of()), "model.layers[" + index + "]"));
        return new Experiment(experiment.spec(), layers, experiment.optimizer(), experiment.schedule(),
                experiment.augment());
    }

    /** A dense layer with N(0, 1) weights: the notes' "larger random numbers", saturating the scores. */
    static void hugeWeights(GraphAssembly graph) {
        graph.addLayer("dense", new DenseLayer.Builder().nOut(16).activation(Activation.RELU)
                .weightInit(new WeightInitDistribution(new NormalDistribution(0, 1))).build());
    }

    /** A tanh dense layer whose backward pass doubles the true derivative: a wrong analytic gradient. */
    static void wrongGradient(GraphAssembly graph) {
        graph.addLayer("dense", new DenseLayer.Builder().nOut(16).activation(new DoubledSlopeTanh()).build());
    }

    /** A softmax output layer that leaves its weights out of every penalty: regularisation never reaches the loss. */
    static void unregularisedOutput(GraphAssembly graph) {
        graph.addLayer("output", new UnpenalisedOutput(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .activation(Activation.SOFTMAX).nOut(graph.classes())));
    }

    private static LayerPlugin plugin(Consumer<GraphAssembly> body) {
        return new LayerPlugin() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public String help() {
                return "a deliberately broken test layer";
            }

            @Override
            public List<ParamSpec> params() {
                return List.of();
            }

            @Override
            public void addTo(GraphAssembly graph, Params params) {
                body.accept(graph);
            }
        };
    }

    /** tanh forward; backward multiplies by 2(1 - tanh^2) instead of (1 - tanh^2). */
    static final class DoubledSlopeTanh extends BaseActivationFunction {

        private static final long serialVersionUID = 1L;

        @Override
        public INDArray getActivation(INDArray in, boolean training) {
            return Transforms.tanh(in, false);
        }

        @Override
        public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
            INDArray t = Transforms.tanh(in, true);
            INDArray slope = t.mul(t).rsubi(1).muli(2);
            return new Pair<>(slope.muli(epsilon), null);
        }
    }

    /** An output layer configuration that reports no regularisation for any parameter. */
    static final class UnpenalisedOutput extends OutputLayer {

        private static final long serialVersionUID = 1L;

        UnpenalisedOutput(OutputLayer.Builder builder) {
            super(builder);
        }

        @Override
        public List<Regularization> getRegularizationByParam(String paramName) {
            return List.of();
        }
    }
}
