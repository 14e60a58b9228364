package dev.cnnworkbench.core.bus;

import java.util.Map;

/**
 * A run began.
 *
 * @param runId      unique id of the run
 * @param name       the run's name (from the spec)
 * @param experiment the experiment it belongs to
 * @param specJson   the fully resolved spec, defaults included
 * @param params     the spec flattened to dotted names ({@code optimizer.lr}); values are Number, String or Boolean
 * @param provenance where it came from: versions, backend, machine, git commit, plugin versions
 * @param startedAt  epoch milliseconds
 * @param pid        the training process, so a later start can tell a dead run from a live one
 * @param host       the machine the process runs on
 * @param user       who started it
 */
public record RunStarted(String runId, String name, String experiment, String specJson, Map<String, Object> params,
                         Map<String, String> provenance, long startedAt, long pid, String host, String user) {

    public RunStarted {
        params = Map.copyOf(params);
        provenance = Map.copyOf(provenance);
    }
}
