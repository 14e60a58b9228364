package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.artifact.NetworkFiles;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.ResolvedPlugin;
import dev.cnnworkbench.core.kernel.Kernels;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.RegularizationSpec;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.TransferSpec;
import java.nio.file.Path;
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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Builds the DL4J network an {@link Experiment} describes: from random weights, or from a saved network when
 * {@code model.init} names one ({@link Transfer}). Stateless.
 */
public final class NetworkFactory {

    /**
     * Layers keep their pre-activations of a training forward pass for the backward pass (DL4J's {@code FF_CACHE}
     * workspace): without it each convolution layer runs its forward convolution twice per step, once more in
     * {@code backpropGradient}. Recomputing gives bitwise the same values, so a network trains to exactly the same
     * parameters either way ({@code ForwardCacheTest}); with it the notes' LeNet trains 1.2-1.3x faster.
     */
    public static final CacheMode FORWARD_CACHE = CacheMode.DEVICE;

    private NetworkFactory() {
    }

    /**
     * The learning-rate schedule of {@code experiment} for a budget of {@code itersPerEpoch} iterations
     * per epoch; a network started from a checkpoint runs it at {@code model.init.lr_scale} times the rate.
     */
    public static ISchedule schedule(Experiment experiment, int itersPerEpoch) {
        ExperimentSpec spec = experiment.spec();
        double scale = spec.model().transfer() == null ? 1 : spec.model().transfer().lrScale();
        try {
            return experiment.schedule().plugin().build(experiment.schedule().params(),
                    experiment.baseLearningRate() * scale, itersPerEpoch, itersPerEpoch * spec.train().epochs());
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
        return assemble(experiment, schedule, classes, DataType.FLOAT).conf();
    }

    /**
     * As {@link #configure(Experiment, ISchedule, int)} in another precision (the gradient check's
     * {@code DataType.DOUBLE}).
     */
    public static ComputationGraphConfiguration configure(Experiment experiment, ISchedule schedule, int classes,
                                                          DataType dataType) {
        return assemble(experiment, schedule, classes, dataType).conf();
    }

    /**
     * A configuration, and the vertex each entry of {@code model.layers} ends in ({@code heads.get(i)} is what
     * entry {@code i + 1} reads from).
     */
    private record Assembled(ComputationGraphConfiguration conf, List<String> heads) {
    }

    private static Assembled assemble(Experiment experiment, ISchedule schedule, int classes, DataType dataType) {
        ExperimentSpec spec = experiment.spec();
        var init = WeightInits.byName(spec.model().init());
        GraphBuilder builder = new NeuralNetConfiguration.Builder()
                .seed(spec.train().seed())
                .dataType(dataType)
                .weightInit(init)
                .updater(experiment.optimizer().plugin().build(experiment.optimizer().params(), schedule))
                .regularization(regularization(experiment))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(FORWARD_CACHE)
                .graphBuilder()
                .addInputs(GraphAssembly.INPUT)
                .setInputTypes(InputType.convolutional(spec.model().height(), spec.model().width(),
                        spec.model().channels()));
        GraphAssembly graph = GraphAssembly.over(builder, init, classes);
        List<String> heads = new ArrayList<>();
        for (ResolvedPlugin<LayerPlugin> layer : experiment.layers()) {
            try {
                layer.plugin().addTo(graph, layer.params());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new SpecException(layer.path(), e.getMessage());
            }
            heads.add(graph.head());
        }
        builder.setOutputs(graph.head());
        try {
            ComputationGraphConfiguration conf = builder.build();
            if (!(conf.getVertices().get(graph.head()) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv)
                    || !(lv.getLayerConf().getLayer() instanceof BaseOutputLayer)) {
                throw new SpecException("model.layers[" + (experiment.layers().size() - 1) + "]",
                        "the last layer must be an output layer (type \"output\")");
            }
            return new Assembled(conf, heads);
        } catch (IllegalArgumentException | IllegalStateException | org.deeplearning4j.exception.DL4JInvalidConfigException e) {
            throw new SpecException("model", "the layers do not fit together: " + e.getMessage());
        }
    }

    /** A freshly initialised network; for a spec that starts from a checkpoint, see the four-argument form. */
    public static ComputationGraph build(Experiment experiment, int itersPerEpoch, int classes) {
        return build(experiment, itersPerEpoch, classes, null);
    }

    /**
     * The network to train: freshly initialised, or, when {@code model.init} names a saved network, started from it
     * ({@link Transfer}: its weights in all layers but the output, the first {@code model.init.freeze} layers frozen).
     *
     * @param artifactsRoot {@code HOME/artifacts}, where {@code run:ID} checkpoints are found; {@code null} when the
     *                      run has no home (then only {@code file:PATH} checkpoints can be used)
     */
    public static ComputationGraph build(Experiment experiment, int itersPerEpoch, int classes, Path artifactsRoot) {
        Assembled assembled = assemble(experiment, schedule(experiment, itersPerEpoch), classes, DataType.FLOAT);
        ComputationGraph net = create(assembled.conf(), null);
        TransferSpec transfer = experiment.spec().model().transfer();
        if (transfer == null) {
            return net;
        }
        ComputationGraph source = NetworkFiles.read(Transfer.locate(transfer, artifactsRoot));
        String frozenHead = transfer.freeze() == 0 ? null : assembled.heads().get(transfer.freeze() - 1);
        // TransferLearning makes layers anew, with the kernels DL4J picks
        return Kernels.install(Transfer.startFrom(net, source, GraphAssembly.INPUT.equals(frozenHead) ? null : frozenHead));
    }

    /**
     * A network of {@code conf}, initialised with {@code params} (a row of all parameters) or, when {@code null}, from
     * the configuration's initialisers. Every network the workbench computes with is made here, built, read back or
     * checked: layers pick their kernels when created (DL4J's oneDNN helpers, switched on here, then the workbench's
     * own, {@link Kernels}), so a network read back computes in the same rounding as the one that was saved, and a
     * resumed run does not drift from its first step on. Also keeps OpenBLAS on one thread
     * ({@link NativeBackend#singleThreadedBlas}) and asks for the periodic collection that frees the native buffers of
     * dropped arrays ({@link NativeGarbage}).
     */
    public static ComputationGraph create(ComputationGraphConfiguration conf, INDArray params) {
        NativeBackend.enableLayerHelpers();
        NativeBackend.singleThreadedBlas();
        NativeGarbage.collectPeriodically();
        ComputationGraph net = new ComputationGraph(conf);
        net.init(params, false);
        return Kernels.install(net);
    }
}
