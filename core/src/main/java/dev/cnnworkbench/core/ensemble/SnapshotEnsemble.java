package dev.cnnworkbench.core.ensemble;

import dev.cnnworkbench.core.artifact.NetworkFiles;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.data.ImageSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Snapshot ensembles (Huang et al., "Snapshot Ensembles: Train 1, get M for free") during one training run. The
 * budget of {@code T} iterations is cut into cycles of {@code L = ceil(T / M)} iterations (the cycles of the
 * {@code snapshot} schedule); at the end of each, after {@code min(k * L, T)} iterations, the trainer calls
 * {@link #take}, which scores the test images with the network as it is (inference mode) and keeps the class
 * probabilities, and optionally saves the network. At the end {@link #finish} scores the ensembles of the last
 * {@code m} snapshots for every {@code m} from 1 to the number taken. The schedule is not this class's business: with
 * a non-cyclic schedule the same snapshots are the paper's "NoCycle" control.
 *
 * <p>Used by the training thread only, in this order: {@link #isSnapshotPoint} after every iteration, {@link #take}
 * where it says so, {@link #finish} once after training (also after an early stop).
 */
public final class SnapshotEnsemble {

    /** One snapshot: when it was taken, its test probabilities, and its file ({@code null} when not saved). */
    public record Snapshot(int index, long iteration, float[][] probabilities, Path file) {

        public String name() {
            return String.format(Locale.ROOT, "snapshot %d (iteration %d)", index, iteration);
        }
    }

    /**
     * Images scored per forward pass: with the members scored concurrently ({@link MemberScoring}) 100 was faster than
     * 250 and 500 for LeNet on 2 cores, and the same as 500 one member at a time ({@code workbench bench ensemble}).
     */
    public static final int BATCH = 100;

    private final List<Long> points;
    private final ImageSet test;
    private final Path saveDir;
    private final List<Snapshot> snapshots = new ArrayList<>();

    /**
     * @param cycles          M, the number of cycles
     * @param totalIterations T, the training budget in iterations
     * @param test            the images every snapshot is scored on
     * @param saveDir         where to save the snapshots' networks ({@link RunArtifacts#snapshot}); {@code null}: nowhere
     */
    public SnapshotEnsemble(int cycles, long totalIterations, ImageSet test, Path saveDir) {
        this.points = snapshotIterations(totalIterations, cycles);
        this.test = test;
        this.saveDir = saveDir;
    }

    /**
     * Iterations done at the end of each cycle: {@code min(k * ceil(T/M), T)} for {@code k = 1..M}, fewer when
     * {@code T} is too short for {@code M} cycles of equal length (T = 10, M = 6 gives 5 cycles of 2).
     */
    public static List<Long> snapshotIterations(long totalIterations, int cycles) {
        if (totalIterations < 1 || cycles < 1) {
            throw new IllegalArgumentException("iterations and cycles must be >= 1, got " + totalIterations + " and "
                    + cycles);
        }
        long length = (totalIterations + cycles - 1) / cycles;
        List<Long> out = new ArrayList<>();
        for (int k = 1; k <= cycles && (k - 1) * length < totalIterations; k++) {
            out.add(Math.min(k * length, totalIterations));
        }
        return List.copyOf(out);
    }

    /** The planned snapshot points, in iterations done. */
    public List<Long> points() {
        return points;
    }

    /** Whether a snapshot is due once {@code iterationsDone} iterations are trained. */
    public boolean isSnapshotPoint(long iterationsDone) {
        return points.contains(iterationsDone);
    }

    /** Scores the test images with {@code net} as it is now and keeps the result; saves the network when asked. */
    public Snapshot take(ComputationGraph net, long iterationsDone) {
        int index = snapshots.size() + 1;
        Path file = null;
        if (saveDir != null) {
            file = RunArtifacts.snapshot(saveDir, index);
            RunArtifacts.writeNetwork(net, file);
        }
        Snapshot s = new Snapshot(index, iterationsDone, probabilities(net, test), file);
        snapshots.add(s);
        return s;
    }

    /**
     * For a resumed run: scores again the snapshots this run saved before iteration {@code iterationsDone}
     * ({@link RunArtifacts#snapshot}, read with {@link NetworkFiles#read}) and keeps them, as if just taken.
     *
     * @throws IllegalStateException naming the first missing file, e.g. when the snapshots were not saved
     */
    public void readBack(long iterationsDone) {
        for (long point : points) {
            if (point > iterationsDone) {
                break;
            }
            Path file = saveDir == null ? null : RunArtifacts.snapshot(saveDir, snapshots.size() + 1);
            if (file == null || !Files.isRegularFile(file)) {
                throw new IllegalStateException("snapshot " + (snapshots.size() + 1) + " (taken at iteration " + point
                        + ") is not on disk" + (file == null ? " (the ensemble was not saved)" : " at " + file)
                        + ", so the ensemble cannot be completed");
            }
            snapshots.add(new Snapshot(snapshots.size() + 1, point, probabilities(NetworkFiles.read(file), test), file));
        }
    }

    public List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /**
     * The ensemble's report, members ordered from the last snapshot back (so entry {@code m} of its accuracy curve
     * is the ensemble of the last {@code m} snapshots). Takes a final snapshot first when training ended between
     * snapshot points (an early stop), so the last member is always the final network.
     */
    public EnsembleReport finish(ComputationGraph net, long iterationsDone) {
        if (snapshots.isEmpty() || snapshots.get(snapshots.size() - 1).iteration() != iterationsDone) {
            take(net, iterationsDone);
        }
        List<Snapshot> newestFirst = new ArrayList<>(snapshots);
        java.util.Collections.reverse(newestFirst);
        return EnsembleReport.of(newestFirst.stream().map(Snapshot::name).toList(),
                newestFirst.stream().map(Snapshot::probabilities).toList(), test.labels());
    }

    /**
     * The class probabilities {@code net} gives each image of {@code set}, in inference mode: its outputs when the
     * output layer is a softmax, else the softmax of its scores.
     */
    public static float[][] probabilities(ComputationGraph net, ImageSet set) {
        return probabilities(net, set, BATCH);
    }

    /** As {@link #probabilities(ComputationGraph, ImageSet)}, {@code batch} images per forward pass. */
    public static float[][] probabilities(ComputationGraph net, ImageSet set, int batch) {
        return probabilities(net, set, 0, set.size(), batch);
    }

    /**
     * The class probabilities of images {@code first} (inclusive) to {@code last} (exclusive) of {@code set}, as
     * {@link #probabilities(ComputationGraph, ImageSet)} gives them, {@code batch} images per forward pass.
     *
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted (checked between
     *                                                    batches)
     */
    public static float[][] probabilities(ComputationGraph net, ImageSet set, int first, int last, int batch) {
        boolean softmax = hasSoftmaxOutput(net);
        float[][] out = new float[last - first][];
        for (int from = first; from < last; from += batch) {
            if (Thread.currentThread().isInterrupted()) {
                throw new java.util.concurrent.CancellationException("scoring interrupted at image " + from);
            }
            int to = Math.min(last, from + batch);
            INDArray x = Nd4j.create(set.pixels(from, to),
                    new long[] {to - from, set.channels(), set.height(), set.width()}, 'c');
            INDArray scores = net.outputSingle(false, x);
            // one bulk copy: INDArray.toFloatMatrix copies row by row, about a quarter of the scoring time of LeNet
            float[] flat = scores.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
            int classes = (int) scores.size(1);
            for (int i = 0; i < to - from; i++) {
                out[from - first + i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
            }
        }
        return softmax ? out : Ensembles.softmax(out);
    }

    static boolean hasSoftmaxOutput(ComputationGraph net) {
        String out = net.getConfiguration().getNetworkOutputs().get(0);
        return net.getConfiguration().getVertices().get(out) instanceof LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof BaseOutputLayer ol
                && ol.getActivationFn() instanceof ActivationSoftmax;
    }
}
