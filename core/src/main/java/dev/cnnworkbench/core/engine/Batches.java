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
        int n = to - from;
        int d = set.imageSize();
        float[] images = new float[n * d];
        float[] labels = new float[n * set.classes()];
        for (int i = 0; i < n; i++) {
            int index = order == null ? from + i : order[from + i];
            set.copyImage(index, images, i * d);
            labels[i * set.classes() + set.labels()[index]] = 1f;
        }
        return new ImageBatch(images, labels, n, set.channels(), set.height(), set.width(), set.classes());
    }

    /** The batch as ND4J arrays, NCHW float32. */
    public static DataSet toDataSet(ImageBatch batch) {
        INDArray x = Nd4j.create(batch.images(), new long[] {batch.size(), batch.channels(), batch.height(), batch.width()}, 'c');
        INDArray y = Nd4j.create(batch.labels(), new long[] {batch.size(), batch.classes()}, 'c');
        return new DataSet(x, y);
    }
}
