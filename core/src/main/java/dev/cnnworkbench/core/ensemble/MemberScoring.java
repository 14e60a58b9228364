package dev.cnnworkbench.core.ensemble;

import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.engine.NativeBackend;
import dev.cnnworkbench.core.engine.NetworkFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Scores the members of an ensemble put together after training (saved runs, a run's snapshot files) on all cores
 * without making one forward pass span them: one scoring thread per core, each with one native thread
 * ({@link NativeBackend#limitThreads}), and each member's images cut into as many slices as there are threads, so
 * that every thread scores a slice of every member with its own copy of the member's network (a network is not safe
 * to share between threads): the member is read once, by the first of its slices to start, which copies it for the
 * others before scoring (a copy costs a few milliseconds, a read of a LeNet file 55-90 ms). A forward pass gains
 * less than twice from a second core (layer by layer it waits for its slowest thread, and the threads spin while they
 * wait), so on 2 cores this scores an ensemble about 1.3x faster than one member at a time on both
 * ({@code workbench bench ensemble}); cutting images rather than handing out whole members keeps both cores busy to
 * the end whatever the number of members.
 *
 * <p>The probabilities are those {@link SnapshotEnsemble#probabilities} gives one member at a time: the same
 * kernels, the same batches within a slice. Memory: one network and its activations per core at a time. Call from one
 * thread at a time; the caller's own native thread settings are not changed, and the process-wide caps are put back
 * when scoring ends.
 */
public final class MemberScoring {

    /**
     * One member: what to call it in progress lines, how to get its network (called once, on a scoring thread, so
     * reading overlaps scoring), and the images as this member reads them (its own normalisation).
     */
    public record Member(String name, Supplier<ComputationGraph> network, ImageSet images) {
    }

    private MemberScoring() {
    }

    /**
     * A member's network for each of its {@code slices}, from one read: the first caller reads it and, before it hands
     * it out (so that no copy is made of a network in use), copies it for the others. Thread-safe.
     */
    private static final class OneRead {

        private final Supplier<ComputationGraph> read;
        private final int slices;
        private final java.util.ArrayDeque<ComputationGraph> copies = new java.util.ArrayDeque<>();
        private boolean done;
        /** The read's failure, given to every slice: whichever slice's outcome is looked at first reports it. */
        private RuntimeException failed;

        OneRead(Supplier<ComputationGraph> read, int slices) {
            this.read = read;
            this.slices = slices;
        }

        synchronized ComputationGraph next() {
            if (failed != null) {
                throw failed;
            }
            if (!done) {
                done = true;
                try {
                    ComputationGraph network = read.get();
                    for (int k = 1; k < slices; k++) {
                        // as every network is made (its kernels, in the same rounding), with parameters of its own
                        copies.add(NetworkFactory.create(network.getConfiguration().clone(), network.params().dup()));
                    }
                    return network;
                } catch (RuntimeException e) {
                    failed = e;
                    throw e;
                }
            }
            ComputationGraph copy = copies.poll();
            if (copy == null) {
                throw new IllegalStateException("more slices asked for the member's network than " + slices
                        + ", or its read failed");
            }
            return copy;
        }
    }

    /**
     * The class probabilities of every member, in {@code members} order, {@code batch} images per forward pass.
     * {@code started} hears each member's name once, as its scoring begins (from a scoring thread, one call at a
     * time).
     *
     * @throws RuntimeException the first failure (reading a network, or scoring), as thrown; the other threads stop
     *                          at their next batch
     */
    public static List<float[][]> probabilities(List<Member> members, int batch, Consumer<String> started) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        NativeBackend.Caps before = NativeBackend.processCaps();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ensemble-scoring");
            t.setDaemon(true);
            return t;
        });
        try {
            List<List<Future<float[][]>>> slices = new ArrayList<>();
            for (Member m : members) {
                int n = m.images().size();
                OneRead networks = new OneRead(m.network(), threads);
                List<Future<float[][]>> parts = new ArrayList<>();
                for (int k = 0; k < threads; k++) {
                    int first = (int) ((long) n * k / threads);
                    int last = (int) ((long) n * (k + 1) / threads);
                    boolean announces = k == 0;
                    parts.add(pool.submit(() -> {
                        NativeBackend.limitThreads(NativeBackend.threadsPerTrial(threads));
                        if (announces) {
                            synchronized (started) {
                                started.accept(m.name());
                            }
                        }
                        return SnapshotEnsemble.probabilities(networks.next(), m.images(), first, last, batch);
                    }));
                }
                slices.add(parts);
            }
            List<float[][]> out = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                float[][] all = new float[members.get(i).images().size()][];
                int at = 0;
                for (Future<float[][]> part : slices.get(i)) {
                    float[][] rows = part.get();
                    System.arraycopy(rows, 0, all, at, rows.length);
                    at += rows.length;
                }
                out.add(all);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring the ensemble's members", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            NativeBackend.restore(before);
        }
    }
}
