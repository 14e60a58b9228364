package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * {@code train.checkpoints}: the network is saved at the end of every epoch under the run's artifact folder, and only
 * the newest {@code keep} of those files are kept. {@code {"keep": 0}} saves none. (The best epoch's network, kept by
 * {@code train.early_stopping}, is a separate file and never pruned.)
 *
 * @param keep how many epoch checkpoints stay on disk, {@code >= 0}
 */
public record CheckpointSpec(int keep) {

    /** What a spec without {@code train.checkpoints} gets. */
    public static final CheckpointSpec DEFAULT = new CheckpointSpec(2);
    static final int MAX_KEEP = 1000;
    static final Set<String> FIELDS = JsonReader.fields("keep");

    public CheckpointSpec {
        if (keep < 0) {
            throw new IllegalArgumentException("train.checkpoints.keep must be >= 0, got " + keep);
        }
    }

    /** Reads {@code train.checkpoints}, or the default when absent. Problems go to {@code r} with their paths. */
    static CheckpointSpec read(JsonReader r, JsonNode train) {
        JsonNode node = train.get("checkpoints");
        if (node == null || node.isNull()) {
            return DEFAULT;
        }
        JsonNode c = r.object(node, "train.checkpoints", FIELDS);
        long keep = r.integer(c, "keep", "train.checkpoints", (long) DEFAULT.keep(), 0);
        if (keep > MAX_KEEP) {
            r.error("train.checkpoints.keep", "must be at most " + MAX_KEEP + ", got " + keep);
        }
        return keep < 0 || keep > MAX_KEEP ? DEFAULT : new CheckpointSpec((int) keep);
    }
}
