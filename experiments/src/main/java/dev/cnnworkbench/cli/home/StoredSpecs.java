package dev.cnnworkbench.cli.home;

import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.SpecJson;
import dev.cnnworkbench.core.spec.SpecParser;
import dev.cnnworkbench.storage.StoreClient;
import java.util.List;

/** The spec a run was recorded with, parsed again. Stateless. */
public final class StoredSpecs {

    private StoredSpecs() {
    }

    /**
     * The recorded spec of run {@code runId}.
     *
     * @throws IllegalArgumentException when the store has no such run, or its spec no longer parses (the message says
     *                                  where)
     */
    public static ExperimentSpec of(StoreClient queries, String runId) {
        String json = queries.specAndProvenance(runId).get("spec");
        if (json == null) {
            throw new IllegalArgumentException("no run " + runId + " in the store");
        }
        return new SpecParser().parse(SpecJson.readTree(json, "the spec of run " + runId), List.of(), runId);
    }
}
