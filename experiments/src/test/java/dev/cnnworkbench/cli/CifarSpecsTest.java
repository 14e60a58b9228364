package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.SpecParser;
import dev.cnnworkbench.core.summary.LayerSummary;
import dev.cnnworkbench.core.summary.ModelSummary;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CIFAR-10 specs' parameter counts, worked out by hand here layer by layer (a k x k convolution from C to F
 * channels has k*k*C*F weights, plus F biases for conv2d; a residual block's convolutions have no biases and each
 * batchnorm has 2 per channel; a projection shortcut is a 1x1 convolution and a batchnorm).
 */
class CifarSpecsTest {

    private static ModelSummary summary(String file, String... overrides) {
        var spec = new SpecParser().parseFile(Path.of(file), List.of(overrides));
        return ModelSummary.of(new SpecResolver(PluginRegistry.builtin()).resolve(spec), 10);
    }

    private static long conv(int k, int in, int out, boolean bias) {
        return (long) k * k * in * out + (bias ? out : 0);
    }

    @Test
    void vggCountsMatchTheHandCount() {
        ModelSummary s = summary("cifar10-vgg.json");
        long[] hand = {conv(3, 3, 32, true), conv(3, 32, 32, true), 0, conv(3, 32, 64, true), conv(3, 64, 64, true), 0,
                conv(3, 64, 128, true), conv(3, 128, 128, true), 0, 0, 128L * 4 * 4 * 256 + 256, 256L * 10 + 10};
        assertThat(s.layers().stream().map(LayerSummary::params).toList())
                .containsExactly(java.util.Arrays.stream(hand).boxed().toArray(Long[]::new));
        assertThat(s.totalParams()).isEqualTo(814_122L);
        assertThat(s.layers().get(s.layers().size() - 2).outputShape()).containsExactly(256L);
    }

    @Test
    void resnet20CountsMatchTheHandCountAndThePapersPoint27Million() {
        ModelSummary s = summary("cifar10-resnet.json");
        long block16 = 2 * conv(3, 16, 16, false) + 2 * 2 * 16;
        long down32 = conv(3, 16, 32, false) + conv(3, 32, 32, false) + 2 * 2 * 32 + conv(1, 16, 32, false) + 2 * 32;
        long block32 = 2 * conv(3, 32, 32, false) + 2 * 2 * 32;
        long down64 = conv(3, 32, 64, false) + conv(3, 64, 64, false) + 2 * 2 * 64 + conv(1, 32, 64, false) + 2 * 64;
        long block64 = 2 * conv(3, 64, 64, false) + 2 * 2 * 64;
        long[] hand = {conv(3, 3, 16, true), 2 * 16, 0, block16, block16, block16, down32, block32, block32, down64,
                block64, block64, 0, 64 * 10 + 10};
        assertThat(s.layers().stream().map(LayerSummary::params).toList())
                .containsExactly(java.util.Arrays.stream(hand).boxed().toArray(Long[]::new));
        assertThat(s.totalParams()).isEqualTo(272_490L);
        assertThat(Math.round(s.totalParams() / 1e4) / 100.0).as("the paper's 0.27M").isEqualTo(0.27);
        assertThat(s.layers().get(s.layers().size() - 3).outputShape()).containsExactly(64L, 8L, 8L);
    }

    @Test
    void bothRunOnAFolderPathWithSet() {
        var spec = new SpecParser().parseFile(Path.of("cifar10-resnet.json"),
                List.of("data.dataset=folder", "data.path=/tmp/my-images"));
        assertThat(spec.data().dataset()).isEqualTo("folder");
        assertThat(spec.data().normalize()).isEqualTo("mean_std");
    }
}
