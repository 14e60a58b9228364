package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.data.ImageBatch;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.experiment.ResolvedPlugin;
import dev.cnnworkbench.core.plugin.AugmentationPlugin;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.random.RandomGenerator;

/**
 * One epoch's mini-batches, gathered ({@link Batches#gather}) and augmented on a worker thread a bounded number of
 * batches ahead of the trainer. The worker draws from the epoch's random source in batch order, exactly as the
 * trainer did when it gathered on its own thread, so a run stays reproducible and resumable; the trainer must not
 * use that source while the pipeline runs. {@link #waitNanos()} is how long {@link #next()} blocked: the time the
 * trainer spent waiting for data.
 *
 * <p>Memory: the batches' arrays are a ring of {@link #AHEAD} + 2 buffers, refilled in turn (and handed from epoch
 * to epoch by the trainer), so training allocates no arrays per batch and the pipeline's memory does not grow with
 * the data set. A batch {@link #next()} returned
 * is therefore valid only until the consumer calls {@link #next()} again: by then the worker may be filling its
 * buffer. (The worker fills batch {@code j} only after putting {@code j - 1}, so with at most {@link #AHEAD} batches
 * queued the consumer has taken batch {@code j - AHEAD - 1}, and is done with batch {@code j - AHEAD - 2}, whose
 * buffer it reuses.)
 *
 * <p>Threads: one consumer (the trainer) calls {@link #next()} and {@link #close()}; the worker is a daemon thread
 * that ends when the epoch's batches are made or the pipeline is closed.
 */
public final class BatchPipeline implements AutoCloseable {

    /** Batches made ahead of the trainer. */
    static final int AHEAD = 3;

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Thread worker;
    private final int batches;
    private int taken;
    private long waitNanos;

    /**
     * Starts making batches {@code order[b * batch .. ]} of {@code set}, {@code batches} of them, each put through
     * {@code augment} with {@code random}.
     */
    public BatchPipeline(ImageSet set, int[] order, int batch, int batches,
                         List<ResolvedPlugin<AugmentationPlugin>> augment, RandomGenerator random) {
        this(set, order, batch, batches, augment, random, newRing());
    }

    /**
     * As the six-argument form, filling the buffers of {@code ring} ({@link #newRing()}), so that one ring serves
     * every epoch of a run: pass it to the next epoch's pipeline once this one is {@linkplain #close() closed}.
     */
    public BatchPipeline(ImageSet set, int[] order, int batch, int batches,
                         List<ResolvedPlugin<AugmentationPlugin>> augment, RandomGenerator random, ImageBatch[] ring) {
        if (ring.length != AHEAD + 2) {
            throw new IllegalArgumentException("a ring has " + (AHEAD + 2) + " buffers, got " + ring.length);
        }
        this.batches = batches;
        worker = new Thread(() -> {
            try {
                for (int b = 0; b < batches; b++) {
                    int from = b * batch;
                    int to = Math.min(set.size(), from + batch);
                    ImageBatch images = Batches.gather(set, order, from, to, ring[b % ring.length]);
                    ring[b % ring.length] = images;
                    for (ResolvedPlugin<AugmentationPlugin> aug : augment) {
                        aug.plugin().apply(images, aug.params(), random);
                    }
                    queue.put(images);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closed early: stop making batches
            } catch (RuntimeException | Error e) {
                queue.offer(e);
            }
        }, "workbench-batches");
        worker.setDaemon(true);
        worker.start();
    }

    /** An empty ring of batch buffers, for the seven-argument constructor. */
    public static ImageBatch[] newRing() {
        return new ImageBatch[AHEAD + 2];
    }

    /**
     * The next batch, waiting for the worker if it is not ready; a failure of the worker is rethrown here. The batch
     * is valid until the next call.
     */
    public ImageBatch next() {
        if (taken >= batches) {
            throw new IllegalStateException("all " + batches + " batches of the epoch were taken");
        }
        long start = System.nanoTime();
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        }
        waitNanos += System.nanoTime() - start;
        taken++;
        if (item instanceof RuntimeException e) {
            throw e;
        }
        if (item instanceof Error e) {
            throw e;
        }
        return (ImageBatch) item;
    }

    /** Nanoseconds {@link #next()} has spent waiting so far. */
    public long waitNanos() {
        return waitNanos;
    }

    /** Stops the worker (if still running) and waits for it to end. */
    @Override
    public void close() {
        worker.interrupt();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
