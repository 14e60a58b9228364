package dev.cnnworkbench.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cnnworkbench.core.bus.MetricPoint;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SystemMetricsTest {

    private final List<MetricPoint> points = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final SystemMetrics metrics = new SystemMetrics(points::addAll, clock::get, 1_000);

    @Test
    void samplesOncePerPeriodAtTheTrainingStepAndOnceAtTheEnd() {
        metrics.trainingStarted(null);
        for (long iteration = 1; iteration <= 25; iteration++) {
            clock.addAndGet(100);
            metrics.iterationDone(null, iteration, 0);
        }
        metrics.trainingDone(null, 25, 0, dev.cnnworkbench.core.engine.FinalEvaluations.NONE);

        assertThat(steps("system/heap_mb")).containsExactly(9L, 19L, 24L);
        assertThat(points).extracting(MetricPoint::name).containsOnly("system/cpu_percent", "system/rss_mb",
                "system/heap_mb", "system/native_mb", "system/gc_ms");
    }

    @Test
    void residentMemoryAgreesWithPs() throws Exception {
        double ours = SystemMetrics.residentMegabytes();
        Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", String.valueOf(ProcessHandle.current().pid())).start();
        double theirs = Long.parseLong(new String(ps.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim())
                / 1024.0;
        assertThat(ours).isCloseTo(theirs, within(Math.max(20, theirs * 0.1)));
    }

    @Test
    void offHeapGrowsWithAnNd4jArrayAndCpuFollowsTheProcess() throws IOException {
        Nd4j.create(DataType.FLOAT, 1).close(); // the backend loaded
        // the native buffers earlier tests dropped are freed now, not by a collection during the measurement (the
        // workbench asks for one every second once a network exists: NativeGarbage)
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(200); // ND4J frees a collected array's buffer on its deallocator thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double nativeBefore = SystemMetrics.nativeMegabytes(SystemMetrics.residentMegabytes());
        INDArray big = Nd4j.ones(DataType.FLOAT, 16, 1024, 1024); // 64 MiB off the heap, every page written
        metrics.trainingStarted(null);
        long start = System.nanoTime();
        long threadCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        double spin = 0;
        do {
            spin += Math.sqrt(spin + 1);
        } while (System.nanoTime() - start < 300_000_000L);
        threadCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - threadCpu;
        long wall = System.nanoTime() - start;
        clock.set(wall);
        metrics.iterationDone(null, 1, 0);
        double withArray = value("system/native_mb", 0);
        big.close();
        assertThat(spin).isPositive();

        assertThat(withArray - nativeBefore).as("native MiB gained with a 64 MiB array alive").isBetween(56.0, 200.0);
        assertThat(value("system/cpu_percent", 0)).as("the process's CPU includes this thread's")
                .isGreaterThanOrEqualTo(100.0 * threadCpu / wall - 1)
                .isLessThan(100.0 * Runtime.getRuntime().availableProcessors() + 50);
        assertThat(value("system/gc_ms", 0)).isGreaterThanOrEqualTo(0);
    }

    private List<Long> steps(String name) {
        return points.stream().filter(p -> p.name().equals(name)).map(MetricPoint::step).toList();
    }

    private double value(String name, int index) {
        return points.stream().filter(p -> p.name().equals(name)).toList().get(index).value();
    }
}
