package dev.cnnworkbench.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogTest {

    @TempDir
    Path dir;

    @Test
    void writesProgressWarningsAndTheEndAsTheRunGoesAndPassesEverythingOn() throws Exception {
        List<String> shown = new ArrayList<>();
        List<String> warned = new ArrayList<>();
        TrainingProgress terminal = new TrainingProgress() {
            @Override
            public void batchDone(int batch, double loss, double examplesPerSecond) {
                shown.add("batch " + batch);
            }
        };
        MetricSink sink = new MetricSink() {
            @Override
            public void record(List<dev.cnnworkbench.core.bus.MetricPoint> points) {
            }

            @Override
            public void warn(String kind, long step, String message) {
                warned.add(kind);
            }
        };
        ConsoleLog log = ConsoleLog.open(dir.resolve("run1"), terminal);
        MetricSink logging = log.logging(sink);
        log.epochStarted(0, 2, 3);
        for (int batch = 1; batch <= 3; batch++) {
            log.batchDone(batch, 2.5 / batch, 1000);
        }
        // readable before the run ends: a page tails it
        assertThat(Files.readString(log.file())).contains("epoch 1/2: 3 batches", "epoch 1/2 batch 3/3  loss 0.8333");
        logging.warn("initial_loss", 0, "loss 9.1 is far above ln(10)");
        log.epochEnded(0, Map.of("val_accuracy", 0.8125));
        log.phase("evaluating on the test set");
        log.line("FAILED: loss became NaN");
        log.close();
        log.line("after close: dropped");

        String text = Files.readString(dir.resolve("run1").resolve(ConsoleLog.NAME));
        assertThat(text.lines()).allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  .+"));
        assertThat(text).contains("WARNING initial_loss at step 0: loss 9.1 is far above ln(10)",
                "epoch 1 done:  val_accuracy 0.8125", "evaluating on the test set", "FAILED: loss became NaN")
                .doesNotContain("dropped");
        assertThat(shown).containsExactly("batch 1", "batch 2", "batch 3");
        assertThat(warned).containsExactly("initial_loss");

        // a resumed run appends to its log
        try (ConsoleLog again = ConsoleLog.open(dir.resolve("run1"), TrainingProgress.NONE)) {
            again.line("resumed");
        }
        assertThat(Files.readString(dir.resolve("run1").resolve(ConsoleLog.NAME))).startsWith(text).endsWith("  resumed\n");
    }

    /**
     * The log wraps the run's sink and progress; a method it does not forward falls to the interface's do-nothing
     * default, silently (a checkpoint that no longer waits for the store, an ensemble never recorded). So every
     * method of both interfaces is forwarded.
     */
    @Test
    void forwardsEveryMethodOfTheSinkAndTheProgressItWraps() throws Exception {
        try (ConsoleLog log = ConsoleLog.open(dir.resolve("run2"), TrainingProgress.NONE)) {
            Class<?> sink = log.logging(points -> { }).getClass();
            for (java.lang.reflect.Method m : MetricSink.class.getMethods()) {
                assertThat(sink.getDeclaredMethod(m.getName(), m.getParameterTypes())).as("forwards " + m).isNotNull();
            }
            for (java.lang.reflect.Method m : TrainingProgress.class.getMethods()) {
                assertThat(ConsoleLog.class.getDeclaredMethod(m.getName(), m.getParameterTypes())).as("forwards " + m)
                        .isNotNull();
            }
        }
    }
}
