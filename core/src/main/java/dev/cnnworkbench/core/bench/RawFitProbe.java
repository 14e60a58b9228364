package dev.cnnworkbench.core.bench;

import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.NativeBackend;
import dev.cnnworkbench.core.engine.NetworkFactory;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.kernel.Kernels;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The baseline the workbench's tracked training is measured against: plain DL4J {@code fit} on
 * pre-built mini-batches, no listeners, no metrics, no augmentation, the kernels DL4J picks (not the
 * workbench's own, {@link Kernels}) and DL4J's thread settings (OpenBLAS on every core, not on one as the workbench
 * keeps it: {@link NativeBackend#singleThreadedBlas}). Single-threaded use.
 */
public final class RawFitProbe {

    private final ComputationGraph net;
    private final List<DataSet> batches = new ArrayList<>();
    private int next;

    /** Builds the experiment's network and {@code count} mini-batches from the start of {@code data}. */
    public RawFitProbe(Experiment experiment, ImageSet data, int batchSize, int count) {
        this.net = Kernels.dl4jOnly(NetworkFactory.build(experiment, count, data.classes()));
        int d = data.imageSize();
        for (int b = 0; b < count; b++) {
            int from = (b * batchSize) % Math.max(1, data.size() - batchSize);
            float[] x = new float[batchSize * d];
            float[] y = new float[batchSize * data.classes()];
            System.arraycopy(data.pixels(), from * d, x, 0, batchSize * d);
            for (int i = 0; i < batchSize; i++) {
                y[i * data.classes() + data.labels()[from + i]] = 1f;
            }
            batches.add(new DataSet(Nd4j.create(x, new long[] {batchSize, data.channels(), data.height(), data.width()}, 'c'),
                    Nd4j.create(y, new long[] {batchSize, data.classes()}, 'c')));
        }
    }

    /** The network's parameter count as DL4J stores them (batchnorm's running mean and variance included). */
    public long numParams() {
        return net.numParams();
    }

    /** Fits {@code iterations} mini-batches (cycling through the prepared ones); returns the seconds taken. */
    public double fit(int iterations) {
        NativeBackend.Caps workbench = NativeBackend.processCaps();
        Nd4j.factory().blas().setMaxThreads(Runtime.getRuntime().availableProcessors()); // DL4J's default
        try {
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                net.fit(batches.get(next));
                next = (next + 1) % batches.size();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            NativeBackend.restore(workbench);
        }
    }
}
