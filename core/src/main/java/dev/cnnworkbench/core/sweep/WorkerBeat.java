package dev.cnnworkbench.core.sweep;

import java.util.List;

/**
 * A worker's heartbeat ({@link WorkAddresses#BEAT}): who it is and what it trains.
 *
 * @param workerId the worker, unique in the cluster; its jobs come to {@link WorkAddresses#worker(String)}
 * @param nodeId   its cluster node (what membership events name), or {@code null} on a bus that is not clustered
 * @param host     its machine
 * @param threads  the jobs it trains at once
 * @param jobs     the jobs it trains now
 * @param runs     their runs, in the same order
 * @param home     its own data folder, absolute; a worker whose home is the hub's writes the run's files in place
 * @param time     when it was sent, epoch milliseconds (the worker's clock)
 */
public record WorkerBeat(String workerId, String nodeId, String host, int threads, List<String> jobs,
                         List<String> runs, String home, long time) {

    public WorkerBeat {
        jobs = List.copyOf(jobs);
        runs = List.copyOf(runs);
    }
}
