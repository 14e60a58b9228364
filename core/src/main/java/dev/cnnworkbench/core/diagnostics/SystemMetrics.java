package dev.cnnworkbench.core.diagnostics;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.engine.FinalEvaluations;
import dev.cnnworkbench.core.engine.MetricSink;
import dev.cnnworkbench.core.engine.TrainingObserver;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What the training process costs the machine, sampled about every {@link #PERIOD_NANOS} of wall time while a run
 * trains (at the first mini-batch, then at the first mini-batch after each period, and once at the end), as W&B records
 * without being asked:
 * <ul>
 * <li>{@code system/cpu_percent}: the process's CPU time over the wall time since the previous sample, in percent of
 * one core as {@code top} shows it (200 is two busy cores);</li>
 * <li>{@code system/rss_mb}: the process's resident memory (Linux {@code /proc/self/status}; absent elsewhere);</li>
 * <li>{@code system/heap_mb}: the JVM heap in use;</li>
 * <li>{@code system/native_mb}: resident memory the JVM's heap and non-heap pools do not use: chiefly ND4J's arrays
 * and workspaces (weights, activations, gradients, updater state), with native libraries, thread stacks and heap
 * pages kept after a collection. ND4J's CPU backend keeps no count of its own allocations (its AllocationsTracker
 * and JavaCPP's Pointer.totalBytes stay near zero with a 64 MiB array alive), so this is read from the outside;
 * Linux only;</li>
 * <li>{@code system/gc_ms}: garbage-collection time since training started, all collectors.</li>
 * </ul>
 * Sampling is driven by the training thread (no thread of its own), so it follows {@link MetricSink}'s threading
 * contract and costs nothing between samples beyond one clock read per mini-batch.
 */
final class SystemMetrics implements TrainingObserver {

    /** About how often a sample is taken. */
    static final long PERIOD_NANOS = 5_000_000_000L;
    private static final Path PROC_STATUS = Path.of("/proc/self/status");
    private static final double MB = 1024.0 * 1024.0;

    private final MetricSink sink;
    private final LongSupplier clock;
    private final long period;
    private final com.sun.management.OperatingSystemMXBean os;
    private long lastSample = Long.MIN_VALUE;
    private long lastCpu;
    private long gcAtStart;

    SystemMetrics(MetricSink sink) {
        this(sink, System::nanoTime, PERIOD_NANOS);
    }

    /** With another clock and period, for tests. */
    SystemMetrics(MetricSink sink, LongSupplier clock, long period) {
        this.sink = sink;
        this.clock = clock;
        this.period = period;
        this.os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean o
                ? o : null;
    }

    @Override
    public void trainingStarted(ComputationGraph net) {
        gcAtStart = gcMillis();
        lastCpu = cpuNanos();
        lastSample = clock.getAsLong();
    }

    @Override
    public void iterationDone(ComputationGraph net, long iterationsDone, int epoch) {
        long now = clock.getAsLong();
        if (now - lastSample >= period) {
            sample(now, iterationsDone - 1, epoch);
        }
    }

    @Override
    public Map<String, Double> trainingDone(ComputationGraph net, long iterationsDone, int lastEpoch,
                                            FinalEvaluations evaluations) {
        sample(clock.getAsLong(), Math.max(0, iterationsDone - 1), lastEpoch);
        return Map.of();
    }

    private void sample(long now, long step, int epoch) {
        long cpu = cpuNanos();
        long wall = now - lastSample;
        long time = System.currentTimeMillis();
        List<MetricPoint> points = new ArrayList<>(5);
        if (cpu >= 0 && wall > 0) {
            points.add(new MetricPoint("system/cpu_percent", step, epoch, time, 100.0 * (cpu - lastCpu) / wall));
        }
        double rss = residentMegabytes();
        Runtime jvm = Runtime.getRuntime();
        points.add(new MetricPoint("system/heap_mb", step, epoch, time, (jvm.totalMemory() - jvm.freeMemory()) / MB));
        if (!Double.isNaN(rss)) {
            points.add(new MetricPoint("system/rss_mb", step, epoch, time, rss));
            points.add(new MetricPoint("system/native_mb", step, epoch, time, nativeMegabytes(rss)));
        }
        points.add(new MetricPoint("system/gc_ms", step, epoch, time, gcMillis() - gcAtStart));
        sink.record(points);
        lastSample = now;
        lastCpu = cpu;
    }

    /** Of {@code rssMegabytes}, what the JVM's heap and non-heap pools do not use. */
    static double nativeMegabytes(double rssMegabytes) {
        var memory = ManagementFactory.getMemoryMXBean();
        long jvm = memory.getHeapMemoryUsage().getUsed() + memory.getNonHeapMemoryUsage().getUsed();
        return Math.max(0, rssMegabytes - jvm / MB);
    }

    private long cpuNanos() {
        return os == null ? -1 : os.getProcessCpuTime();
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** VmRSS of this process in MiB, or NaN where {@code /proc} does not tell. */
    static double residentMegabytes() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            // not Linux, or hidden: the metric is left out
        }
        return Double.NaN;
    }
}
