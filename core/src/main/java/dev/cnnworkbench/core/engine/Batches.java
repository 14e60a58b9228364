package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.data.ImageSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Copies examples of an {@link ImageSet} into mini-batches. Stateless. */
public final class Batches {

    private Batches() {
    }

    /** The examples {@code order[from..to)} as a mutable batch with one-hot labels. */
    public static ImageBatch gather(ImageSet set, int[] order, int from, int to) {
        return gather(set, order, from, to, null);
    }

    /**
     * As {@link #gather(ImageSet, int[], int, int)}, written into {@code reuse}'s arrays (and returned) when it has
     * this batch's size and shape, so that a loop over batches allocates no new arrays once its buffers exist; else a
     * new batch. Whoever passes {@code reuse} must be done with it: its values are overwritten.
     *
     * @param order the examples' order, or {@code null} for {@code from..to-1}
     */
    public static ImageBatch gather(ImageSet set, int[] order, int from, int to, ImageBatch reuse) {
        int n = to - from;
        int d = set.imageSize();
        boolean fits = reuse != null && reuse.size() == n && reuse.imageSize() == d && reuse.classes() == set.classes()
                && reuse.channels() == set.channels() && reuse.height() == set.height();
        float[] images = fits ? reuse.images() : new float[n * d];
        float[] labels = fits ? reuse.labels() : new float[n * set.classes()];
        if (fits) {
            java.util.Arrays.fill(labels, 0f);
        }
        for (int i = 0; i < n; i++) {
            int index = order == null ? from + i : order[from + i];
            set.copyImage(index, images, i * d);
            labels[i * set.classes() + set.labels()[index]] = 1f;
        }
        return fits ? reuse : new ImageBatch(images, labels, n, set.channels(), set.height(), set.width(), set.classes());
    }

    /** The batch as ND4J arrays, NCHW float32. */
    public static DataSet toDataSet(ImageBatch batch) {
        INDArray x = Nd4j.create(batch.images(), new long[] {batch.size(), batch.channels(), batch.height(), batch.width()}, 'c');
        INDArray y = Nd4j.create(batch.labels(), new long[] {batch.size(), batch.classes()}, 'c');
        return new DataSet(x, y);
    }
}
