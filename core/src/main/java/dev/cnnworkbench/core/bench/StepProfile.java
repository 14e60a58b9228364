package dev.cnnworkbench.core.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a training step's time goes: samples the calling thread's stack with Java Flight Recorder (Java code and
 * native code alike: a thread waiting for a native ND4J op is sampled inside the op's Java caller) while a piece of
 * work runs on it, and sorts every sample into a phase (conv forward, pooling forward, conv backward, optimizer, ...)
 * by the outermost frame on its stack that names one. Wall-clock shares of the sampled thread; time it spends
 * blocked (waiting for a batch) or stopped by the garbage collector is not sampled. Not thread-safe: one profile at a
 * time.
 */
public final class StepProfile {

    /** The phases, in the order they are printed; anything else on the sampled thread is {@code other}. */
    public static final List<String> PHASES = List.of("conv forward", "pooling forward", "dense/output forward",
            "conv backward", "pooling backward", "dense/output backward", "batch norm forward", "batch norm backward",
            "residual add", "activation layers", "optimizer", "train accuracy", "evaluation", "diagnostics",
            "batch assembly", "other");

    /** Shares of the samples by phase (0..1, in {@link #PHASES} order) and the number of samples. */
    public record Split(Map<String, Double> shares, int samples) {

        /** One line per phase with at least 0.5% of the samples, e.g. {@code "  conv forward  31.2%"}. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            shares.forEach((phase, share) -> {
                if (share >= 0.005) {
                    b.append(String.format(Locale.ROOT, "  %-22s %5.1f%%%n", phase, share * 100));
                }
            });
            return b.append(String.format(Locale.ROOT, "  (%d samples)%n", samples)).toString();
        }
    }

    private StepProfile() {
    }

    /** Runs {@code work} on the calling thread, sampling it every {@code period}; the split of where its time went. */
    public static Split of(Runnable work, Duration period) {
        Thread self = Thread.currentThread();
        Path file;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(period);
            recording.enable("jdk.NativeMethodSample").withPeriod(period);
            recording.start();
            work.run();
            recording.stop();
            file = Files.createTempFile("workbench-profile", ".jfr");
            recording.dump(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the flight recording: " + e.getMessage(), e);
        }
        try {
            return split(file, self.getId());
        } finally {
            file.toFile().delete();
        }
    }

    private static Split split(Path file, long threadId) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        PHASES.forEach(p -> counts.put(p, 0));
        int samples = 0;
        try {
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getStackTrace() == null || !e.hasField("sampledThread")
                        || e.getThread("sampledThread").getJavaThreadId() != threadId) {
                    continue;
                }
                counts.merge(phase(e.getStackTrace().getFrames()), 1, Integer::sum);
                samples++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the flight recording: " + e.getMessage(), e);
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        int n = Math.max(1, samples);
        counts.forEach((p, c) -> shares.put(p, (double) c / n));
        return new Split(shares, samples);
    }

    /** The phase of a stack (innermost frame first, as JFR gives it): the outermost frame that names one decides. */
    static String phase(List<RecordedFrame> frames) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            RecordedFrame f = frames.get(i);
            if (f.getMethod() == null) {
                continue;
            }
            String phase = phase(f.getMethod().getType().getName(), f.getMethod().getName());
            if (phase != null) {
                return phase;
            }
        }
        return "other";
    }

    /** The phase a frame of {@code type.method} names, or {@code null}. */
    static String phase(String type, String method) {
        boolean backward = method.startsWith("backprop");
        boolean forward = method.equals("activate") || method.startsWith("preOutput");
        if (type.startsWith("dev.cnnworkbench.core.engine.Evaluator")
                || type.startsWith("dev.cnnworkbench.core.ensemble.")) {
            return "evaluation";
        }
        if (type.startsWith("dev.cnnworkbench.core.diagnostics.")) {
            return "diagnostics";
        }
        if (type.equals("dev.cnnworkbench.core.engine.TrainAccuracyListener")) {
            return "train accuracy";
        }
        if (type.equals("dev.cnnworkbench.core.engine.Batches") || type.equals("dev.cnnworkbench.core.engine.BatchPipeline")) {
            return "batch assembly";
        }
        if (type.startsWith("org.deeplearning4j.nn.updater.") || type.startsWith("org.deeplearning4j.optimize.stepfunctions.")
                || type.startsWith("org.nd4j.linalg.learning.")) {
            return "optimizer";
        }
        if (type.contains("BatchNormalization")) {
            return backward ? "batch norm backward" : "batch norm forward";
        }
        if (type.equals("org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex")) {
            return method.equals("doForward") || method.equals("doBackward") ? "residual add" : null;
        }
        if (type.equals("org.deeplearning4j.nn.layers.ActivationLayer")
                || type.equals("dev.cnnworkbench.core.kernel.JavaReluLayer")) {
            return forward || backward ? "activation layers" : null;
        }
        if (type.equals("org.deeplearning4j.nn.layers.convolution.ConvolutionLayer")) {
            return forward ? "conv forward" : backward ? "conv backward" : null;
        }
        if (type.equals("org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer")
                || type.equals("org.deeplearning4j.nn.layers.pooling.GlobalPoolingLayer")) {
            return forward ? "pooling forward" : backward ? "pooling backward" : null;
        }
        if (type.equals("org.deeplearning4j.nn.layers.BaseLayer") || type.equals("org.deeplearning4j.nn.layers.BaseOutputLayer")
                || type.equals("org.deeplearning4j.nn.layers.OutputLayer") || type.equals("org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer")) {
            return forward || method.contains("Score") ? "dense/output forward" : backward ? "dense/output backward" : null;
        }
        return null;
    }
}
