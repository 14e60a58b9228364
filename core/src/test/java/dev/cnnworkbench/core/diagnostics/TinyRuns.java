package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.DataSplit;
import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.engine.MetricSink;
import dev.cnnworkbench.core.engine.StopRule;
import dev.cnnworkbench.core.engine.Trainer;
import dev.cnnworkbench.core.engine.TrainingProgress;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.ResolvedPlugin;
import dev.cnnworkbench.core.plugin.ConstantTestSchedule;
import dev.cnnworkbench.core.plugin.LambdaLayer;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.OptimizerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.spec.DataSpec;
import dev.cnnworkbench.core.spec.DiagnosticsSpec;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.ModelSpec;
import dev.cnnworkbench.core.spec.PluginRef;
import dev.cnnworkbench.core.spec.RegularizationSpec;
import dev.cnnworkbench.core.spec.TrainSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Tiny training runs on a few hundred Fashion-MNIST images through the real {@link Trainer}, built from test layer
 * plugins (core cannot see the built-in catalog): {@code TinyRuns.healthy().every(1).run(dir)}.
 */
final class TinyRuns {

    /** 600 training and 200 test images, loaded once. */
    private static Datasets.TrainTest data;

    private final List<Consumer<GraphAssembly>> layers = new ArrayList<>();
    private Function<ISchedule, IUpdater> updater = s -> new Adam(s);
    private double lr = 1e-3;
    private String init = "xavier";
    private DiagnosticsSpec diagnostics = new DiagnosticsSpec(1, true);
    private int epochs = 2;
    private int trainImages = 256;
    private int validation = 100;

    static synchronized Datasets.TrainTest data() {
        if (data == null) {
            Datasets.TrainTest all = Datasets.load(new DataSpec("fashion-mnist", DataSpec.DEFAULT_PATH, 0, 0));
            data = new Datasets.TrainTest(all.train().select(IntStream.range(0, 600).toArray()),
                    all.test().select(IntStream.range(0, 200).toArray()), null, all.classNames(), all.fingerprint(),
                    List.of(), java.util.Map.of());
        }
        return data;
    }

    /** conv 8@5x5 stride 2 relu, dense 32 relu, softmax output; Adam 1e-3; xavier. */
    static TinyRuns healthy() {
        return new TinyRuns().conv(8, Activation.RELU).dense(32, Activation.RELU, null, 0).output(null);
    }

    TinyRuns conv(int filters, Activation activation) {
        layers.add(g -> g.addLayer("conv", new ConvolutionLayer.Builder(5, 5).stride(2, 2).nOut(filters)
                .activation(activation).build()));
        return this;
    }

    /** @param std the weights' Gaussian standard deviation, or {@code null} for the model's init */
    TinyRuns dense(int units, Activation activation, Double std, double bias) {
        layers.add(g -> {
            DenseLayer.Builder b = new DenseLayer.Builder().nOut(units).activation(activation).biasInit(bias);
            if (std != null) {
                b.weightInit(new WeightInitDistribution(new NormalDistribution(0, std)));
            }
            g.addLayer("dense", b.build());
        });
        return this;
    }

    TinyRuns output(Double std) {
        layers.add(g -> {
            OutputLayer.Builder b = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(g.classes())
                    .activation(Activation.SOFTMAX);
            if (std != null) {
                b.weightInit(new WeightInitDistribution(new NormalDistribution(0, std)));
            }
            g.addLayer("output", b.build());
        });
        return this;
    }

    /** The model-wide weight initialisation ({@code xavier}, {@code he}, {@code small-gaussian}). */
    TinyRuns init(String name) {
        this.init = name;
        return this;
    }

    TinyRuns sgd(double lr) {
        this.lr = lr;
        this.updater = Sgd::new;
        return this;
    }

    TinyRuns adam(double lr) {
        this.lr = lr;
        this.updater = Adam::new;
        return this;
    }

    TinyRuns diagnostics(int every, boolean histograms) {
        this.diagnostics = new DiagnosticsSpec(every, histograms);
        return this;
    }

    TinyRuns epochs(int epochs) {
        this.epochs = epochs;
        return this;
    }

    TinyRuns trainImages(int n) {
        this.trainImages = n;
        return this;
    }

    TinyRuns validation(int n) {
        this.validation = n;
        return this;
    }

    Experiment experiment() {
        List<ResolvedPlugin<LayerPlugin>> resolved = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Consumer<GraphAssembly> body = layers.get(i);
            resolved.add(new ResolvedPlugin<>(layer("test-layer-" + i, body), Params.of(Map.of()),
                    "model.layers[" + i + "]"));
        }
        ExperimentSpec spec = new ExperimentSpec("diag-test", "diag-test",
                new DataSpec("fashion-mnist", DataSpec.DEFAULT_PATH, trainImages, 0),
                new ModelSpec(List.of(1, 28, 28), init, resolved.stream().map(l -> PluginRef.of(l.plugin().name())).toList()),
                PluginRef.of("opt"), PluginRef.of("constant"), new RegularizationSpec(0, 0), List.of(),
                new TrainSpec(epochs, 32, 7, validation), diagnostics, null);
        return new Experiment(spec, resolved, new ResolvedPlugin<>(optimizer(lr, updater), Params.of(Map.of()),
                "optimizer"), new ResolvedPlugin<>(ConstantTestSchedule.INSTANCE, Params.of(Map.of()), "schedule"), List.of());
    }

    /** Trains through the real trainer; {@code artifactDir} may be {@code null}. */
    Recorded run(Path artifactDir) {
        Experiment experiment = experiment();
        DataSplit split = DataSplit.of(experiment.spec(), data());
        Recorded sink = new Recorded();
        new Trainer(experiment, sink, TrainingProgress.NONE, StopRule.NEVER, artifactDir).train(split);
        return sink;
    }

    /** What a run told its sink. */
    static final class Recorded implements MetricSink {
        record Warning(String kind, long step, String message) {
        }

        record Artifact(String kind, String name, Path file, String mediaType, long step, int epoch) {
        }

        final List<MetricPoint> points = Collections.synchronizedList(new ArrayList<>());
        final List<Warning> warnings = new ArrayList<>();
        final List<Artifact> artifacts = new ArrayList<>();

        @Override
        public void record(List<MetricPoint> batch) {
            points.addAll(batch);
        }

        @Override
        public void warn(String kind, long step, String message) {
            warnings.add(new Warning(kind, step, message));
        }

        @Override
        public void artifact(String kind, String name, Path file, String mediaType, long step, int epoch) {
            artifacts.add(new Artifact(kind, name, file, mediaType, step, epoch));
        }

        List<String> kinds() {
            return warnings.stream().map(Warning::kind).toList();
        }

        List<MetricPoint> named(String name) {
            return points.stream().filter(p -> p.name().equals(name)).toList();
        }

        List<String> names() {
            return points.stream().map(MetricPoint::name).distinct().toList();
        }
    }

    private static LayerPlugin layer(String name, Consumer<GraphAssembly> body) {
        return new LambdaLayer(name, (graph, params) -> body.accept(graph));
    }

    private static OptimizerPlugin optimizer(double lr, Function<ISchedule, IUpdater> updater) {
        return new OptimizerPlugin() {
            @Override
            public String name() {
                return "opt";
            }

            @Override
            public String help() {
                return "test optimizer";
            }

            @Override
            public List<ParamSpec> params() {
                return List.of();
            }

            @Override
            public double learningRate(Params params) {
                return lr;
            }

            @Override
            public IUpdater build(Params params, ISchedule learningRate) {
                return updater.apply(learningRate);
            }
        };
    }
}
