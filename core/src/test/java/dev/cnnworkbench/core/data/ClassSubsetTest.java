package dev.cnnworkbench.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.engine.DataSplit;
import dev.cnnworkbench.core.spec.DataSpec;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.ModelSpec;
import dev.cnnworkbench.core.spec.PluginRef;
import dev.cnnworkbench.core.spec.RegularizationSpec;
import dev.cnnworkbench.core.spec.SpecException;
import dev.cnnworkbench.core.spec.TrainSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** data.classes keeps and relabels classes; data.per_class caps each class's training examples. */
class ClassSubsetTest {

    /** {@code n} one-pixel images whose pixel is their index and whose label cycles through 10 classes. */
    private static ImageSet cycling(int n) {
        float[] pixels = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = i;
            labels[i] = i % 10;
        }
        return new ImageSet(pixels, labels, 1, 1, 1, 10);
    }

    private static ExperimentSpec spec(List<Integer> classes, int perClass, int validation, int limit) {
        return new ExperimentSpec("t", "t", new DataSpec("fashion-mnist", DataSpec.DEFAULT_PATH, limit, 0, classes, perClass),
                new ModelSpec(List.of(1, 1, 1), "xavier", List.of(PluginRef.of("output"))), PluginRef.of("sgd"),
                PluginRef.of("constant"), RegularizationSpec.NONE, List.of(), new TrainSpec(1, 8, 7, validation));
    }

    @Test
    void keepsTheListedClassesRelabelledInTheirOrder() {
        ImageSet kept = ClassSubset.of(cycling(40), List.of(7, 2));
        assertThat(kept.classes()).isEqualTo(2);
        assertThat(kept.pixels()).containsExactly(2, 7, 12, 17, 22, 27, 32, 37);
        assertThat(kept.labels()).containsExactly(1, 0, 1, 0, 1, 0, 1, 0);
        ImageSet all = cycling(5);
        assertThat(ClassSubset.of(all, List.of())).isSameAs(all);
        assertThatThrownBy(() -> ClassSubset.of(cycling(5), List.of(3, 10))).isInstanceOf(SpecException.class)
                .hasMessage("data.classes[1]: class 10 is not in the data set (its classes are 0..9)");
    }

    @Test
    void splitsTheSubsetAndCapsEachClass() {
        Datasets.TrainTest data = new Datasets.TrainTest(cycling(1000), cycling(100));
        DataSplit split = DataSplit.of(spec(List.of(5, 6, 7, 8, 9), 3, 20, 0), data);
        assertThat(split.test().size()).isEqualTo(50);
        assertThat(split.test().classes()).isEqualTo(5);
        assertThat(split.validation().size()).isEqualTo(20);
        assertThat(split.train().size()).isEqualTo(15);
        int[] perClass = new int[5];
        Arrays.stream(split.train().labels()).forEach(l -> perClass[l]++);
        assertThat(perClass).containsOnly(3);
        for (int i = 0; i < split.train().size(); i++) {
            assertThat((int) split.train().pixels()[i] % 10).isEqualTo(split.train().labels()[i] + 5);
        }
        assertThat(DataSplit.of(spec(List.of(5, 6, 7, 8, 9), 3, 20, 10), data).train().size()).isEqualTo(10);
    }

    @Test
    void leavesSplitsWithoutSubsetOptionsAsTheyWere() {
        Datasets.TrainTest data = new Datasets.TrainTest(cycling(300), cycling(50));
        DataSplit split = DataSplit.of(spec(List.of(), 0, 30, 100), data);
        assertThat(split.train().size()).isEqualTo(100);
        assertThat(split.validation().size()).isEqualTo(30);
        assertThat(split.test().size()).isEqualTo(50);
        assertThat(split.train().classes()).isEqualTo(10);
    }
}
