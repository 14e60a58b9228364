package dev.cnnworkbench.core.bus;

import dev.cnnworkbench.core.sanity.CheckResult;
import java.util.List;

/**
 * Command body at {@link Addresses#STORE_CHECKS}: the results of one {@code workbench check} session, to store.
 *
 * @param sessionId  a fresh id ({@code [A-Za-z0-9_-]}, at most 32 characters)
 * @param experiment the spec's experiment
 * @param spec       the resolved spec, as JSON
 * @param runId      the run the checks belong to, or {@code null}
 * @param user       who ran them
 * @param startedAt  when, in epoch milliseconds
 * @param results    the checks' results, in the order they ran
 */
public record ChecksRecorded(String sessionId, String experiment, String spec, String runId, String user,
                             long startedAt, List<CheckResult> results) {

    public ChecksRecorded {
        results = List.copyOf(results);
    }
}
