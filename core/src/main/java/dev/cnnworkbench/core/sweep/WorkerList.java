package dev.cnnworkbench.core.sweep;

import java.util.List;

/**
 * The workers the hub knows ({@link WorkAddresses#WORKERS}) and its queue.
 *
 * @param workers each worker's last beat and when the hub received it
 * @param queued  jobs waiting for a free worker
 */
public record WorkerList(List<Worker> workers, int queued) {

    /** One worker: its last {@link WorkerBeat} and when the hub received it (epoch milliseconds, the hub's clock). */
    public record Worker(WorkerBeat beat, long seenAt) {
    }

    public WorkerList {
        workers = List.copyOf(workers);
    }
}
