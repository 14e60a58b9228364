package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.DataSpec;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecParser;
import java.util.List;

/**
 * A tiny convolutional network on a few hundred Fashion-MNIST images, resolved against the built-in plugins, for
 * engine tests that train for real in a second or two. The data set is loaded once per test JVM.
 */
public final class TinySpecs {

    /** conv 4@5x5, max-pool, dense 16, softmax; 300 training, 100 validation and 200 test images. */
    public static final String TINY = """
            {"name": "tiny",
             "data": {"limit": 300, "test_limit": 200},
             "model": {"input": [1, 28, 28], "layers": [
                {"type": "conv2d", "filters": 4, "kernel": 5, "activation": "relu"},
                {"type": "maxpool", "kernel": 2, "stride": 2},
                {"type": "dense", "units": 16, "activation": "relu"},
                {"type": "output"}]},
             "optimizer": {"type": "adam", "lr": 0.003},
             "train": {"epochs": 3, "batch": 50, "seed": 1, "validation": 100}}
            """;

    private static Datasets.TrainTest fashion;

    private TinySpecs() {
    }

    /** {@link #TINY} with {@code overrides} ({@code path=value}, as {@code --set} takes them). */
    public static Experiment tiny(String... overrides) {
        return new SpecResolver(PluginRegistry.builtin()).resolve(new SpecParser().parse(
                SpecJson.readTree(TINY, "tiny.json"), List.of(overrides), "tiny"));
    }

    /** The split of Fashion-MNIST {@code experiment} asks for. */
    public static DataSplit split(Experiment experiment) {
        return DataSplit.of(experiment.spec(), fashion());
    }

    public static synchronized Datasets.TrainTest fashion() {
        if (fashion == null) {
            fashion = Datasets.load(new DataSpec("fashion-mnist", DataSpec.DEFAULT_PATH, 0, 0));
        }
        return fashion;
    }
}
