package dev.cnnworkbench.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Threads per trial: trials training at once split the cores, and the cap holds for the thread that asked; OpenBLAS
 * stays on one thread.
 */
class TrialThreadsTest {

    @Test
    void parallelTrialsSplitTheCoresAndKeepAtLeastOneThreadEach() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(NativeBackend.threadsPerTrial(1)).isEqualTo(cores);
        assertThat(NativeBackend.threadsPerTrial(2)).isEqualTo(Math.max(1, cores / 2));
        assertThat(NativeBackend.threadsPerTrial(4 * cores)).isEqualTo(1);
    }

    @Test
    void aTrialThreadsCapIsItsOwnNotTheWholeProcesss() throws InterruptedException {
        int before = NativeBackend.nativeThreads();
        AtomicInteger capped = new AtomicInteger();
        Thread trial = new Thread(() -> {
            NativeBackend.limitThreads(1);
            capped.set(NativeBackend.nativeThreads());
        });
        trial.start();
        trial.join();
        assertThat(capped.get()).isEqualTo(1);
        assertThat(NativeBackend.nativeThreads()).isEqualTo(before);
        NativeBackend.limitThreads(Runtime.getRuntime().availableProcessors()); // what the other tests had
    }

    @Test
    void makingANetworkKeepsOpenBlasOnOneThread() {
        org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(2);
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder().nIn(3).nOut(2).build(), "in")
                .setOutputs("out").build();
        NetworkFactory.create(conf, null);
        assertThat(org.nd4j.linalg.factory.Nd4j.factory().blas().getMaxThreads())
                .as("OpenBLAS's spinning workers would take the cores from oneDNN's").isEqualTo(1);
    }

    @Test
    void refusesNoThreads() {
        assertThatThrownBy(() -> NativeBackend.limitThreads(0)).hasMessage("threads must be >= 1, got 0");
    }
}
