package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cnnworkbench.core.bench.TrainBenchmark;
import dev.cnnworkbench.core.bus.BusCodecs;
import dev.cnnworkbench.core.engine.NetworkFactory;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.SpecParser;
import dev.cnnworkbench.core.summary.ModelSummary;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bench train}'s PyTorch baselines are twins of the DL4J networks: the same parameter count as DL4J stores
 * them (batchnorm's running mean and variance included), and the same learnable count as {@link CifarSpecsTest}
 * works out by hand. Skipped where no python3 imports torch. Also: a twin with another count fails the bench, and a
 * CIFAR-10 spec whose data.path does not exist runs on synthetic data.
 */
class TorchTwinsTest {

    /** Surefire runs in experiments/. */
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private static long dl4jParams(String model) {
        var spec = new SpecParser().parseFile(BenchCommand.ModelOptions.specFile(REPO, model), List.of());
        return NetworkFactory.build(new SpecResolver(PluginRegistry.builtin()).resolve(spec), 1, 10).numParams();
    }

    private static long learnable(String model) {
        var spec = new SpecParser().parseFile(BenchCommand.ModelOptions.specFile(REPO, model), List.of());
        return ModelSummary.of(new SpecResolver(PluginRegistry.builtin()).resolve(spec), 10).totalParams();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "cifar10-vgg", "cifar10-resnet"})
    void theTwinHasTheDl4jNetworksParameterCount(String model) {
        String python = BenchCommand.Train.pythonWithTorch();
        assumeTrue(python != null, "no python3 here imports torch");
        BenchCommand.Torch twin = BenchCommand.Torch.twin(python, REPO, model);
        assertThat(twin).as("a twin of " + model).isNotNull();
        assertThat(twin.params()).isEqualTo(dl4jParams(model));
    }

    @Test
    void resnetCountsDifferOnlyByTheBatchnormStatistics() {
        // 784 batchnorm channels: stem 16, stage 1 3*2*16, stage 2 3*32 + 2*2*32, stage 3 3*64 + 2*2*64
        assertThat(dl4jParams("cifar10-resnet") - learnable("cifar10-resnet")).isEqualTo(2 * 784L);
        assertThat(dl4jParams("cifar10-vgg")).isEqualTo(learnable("cifar10-vgg"));
    }

    @Test
    void aBaselineThatIsNotTheTwinFailsTheBenchAndCifarRunsOnSyntheticData() {
        TrainBenchmark.Baseline impostor = new TrainBenchmark.Baseline() {
            @Override
            public String name() {
                return "impostor";
            }

            @Override
            public double measure(int batch, int iterations) {
                throw new AssertionError("measured a baseline that is not the twin");
            }

            @Override
            public long params() {
                return 272_490; // the learnable count: DL4J also stores the batchnorm statistics
            }
        };
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Vertx vertx = Vertx.vertx();
        try {
            BusCodecs.register(vertx);
            var settings = new TrainBenchmark.Settings(BenchCommand.ModelOptions.specFile(REPO, "cifar10-resnet"), 4, 2,
                    1, List.of(), vertx.eventBus());
            assertThatThrownBy(() -> TrainBenchmark.run(settings, impostor,
                    new PrintStream(text, true, StandardCharsets.UTF_8)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("272490 parameters, the DL4J network 274058");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("synthetic CIFAR-10 instead (8 training and 4 test records")
                .contains("DL4J 274,058, impostor 272,490");
    }
}
