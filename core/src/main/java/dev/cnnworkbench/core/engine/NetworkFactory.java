package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.ResolvedPlugin;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.RegularizationSpec;
import dev.cnnworkbench.core.spec.SpecException;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ISchedule;

/** Builds the DL4J network an {@link Experiment} describes. Stateless. */
public final class NetworkFactory {

    private NetworkFactory() {
    }

    /**
     * The learning-rate schedule of {@code experiment} for a budget of {@code itersPerEpoch} iterations
     * per epoch.
     */
    public static ISchedule schedule(Experiment experiment, int itersPerEpoch) {
        ExperimentSpec spec = experiment.spec();
        try {
            return experiment.schedule().plugin().build(experiment.schedule().params(), experiment.baseLearningRate(),
                    itersPerEpoch, itersPerEpoch * spec.train().epochs());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SpecException(experiment.schedule().path(), e.getMessage());
        }
    }

    /** The spec's L1/L2 penalties plus whatever the optimizer implies (AdamW's decoupled decay). */
    static List<Regularization> regularization(Experiment experiment) {
        List<Regularization> all = new ArrayList<>();
        RegularizationSpec r = experiment.spec().regularization();
        if (r.l1() > 0) {
            all.add(new L1Regularization(r.l1()));
        }
        if (r.l2() > 0) {
            all.add(new L2Regularization(r.l2()));
        }
        all.addAll(experiment.optimizer().plugin().regularization(experiment.optimizer().params()));
        return all;
    }

    /** The network's configuration: float32, seeded, with the spec's optimizer, schedule and penalties. */
    public static ComputationGraphConfiguration configure(Experiment experiment, ISchedule schedule, int classes) {
        NativeBackend.enableLayerHelpers();
        ExperimentSpec spec = experiment.spec();
        var init = WeightInits.byName(spec.model().init());
        GraphBuilder builder = new NeuralNetConfiguration.Builder()
                .seed(spec.train().seed())
                .dataType(DataType.FLOAT)
                .weightInit(init)
                .updater(experiment.optimizer().plugin().build(experiment.optimizer().params(), schedule))
                .regularization(regularization(experiment))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(CacheMode.NONE)
                .graphBuilder()
                .addInputs(GraphAssembly.INPUT)
                .setInputTypes(InputType.convolutional(spec.model().height(), spec.model().width(),
                        spec.model().channels()));
        GraphAssembly graph = GraphAssembly.over(builder, init, classes);
        for (ResolvedPlugin<LayerPlugin> layer : experiment.layers()) {
            try {
                layer.plugin().addTo(graph, layer.params());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new SpecException(layer.path(), e.getMessage());
            }
        }
        builder.setOutputs(graph.head());
        try {
            ComputationGraphConfiguration conf = builder.build();
            if (!(conf.getVertices().get(graph.head()) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv)
                    || !(lv.getLayerConf().getLayer() instanceof BaseOutputLayer)) {
                throw new SpecException("model.layers[" + (experiment.layers().size() - 1) + "]",
                        "the last layer must be an output layer (type \"output\")");
            }
            return conf;
        } catch (IllegalArgumentException | IllegalStateException | org.deeplearning4j.exception.DL4JInvalidConfigException e) {
            throw new SpecException("model", "the layers do not fit together: " + e.getMessage());
        }
    }

    /** A freshly initialised network. */
    public static ComputationGraph build(Experiment experiment, int itersPerEpoch, int classes) {
        ComputationGraph net = new ComputationGraph(configure(experiment, schedule(experiment, itersPerEpoch), classes));
        net.init();
        return net;
    }
}
