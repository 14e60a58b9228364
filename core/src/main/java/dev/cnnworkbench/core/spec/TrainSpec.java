package dev.cnnworkbench.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The training budget and how training is controlled.
 *
 * @param epochs        passes over the training examples
 * @param batch         examples per mini-batch
 * @param seed          seeds weight init, shuffling, the validation split and augmentation
 * @param validation    training examples held out for validation (taken before {@code data.limit} applies)
 * @param earlyStopping when to stop before the budget and which epoch's network to keep; {@code null}: train the
 *                      whole budget and keep the last network
 * @param checkpoints   how many per-epoch checkpoints stay on disk
 */
public record TrainSpec(int epochs, int batch, long seed, int validation,
                        @JsonProperty("early_stopping") @JsonInclude(JsonInclude.Include.NON_NULL)
                        EarlyStoppingSpec earlyStopping,
                        CheckpointSpec checkpoints) {

    static final Set<String> FIELDS = JsonReader.fields("epochs", "batch", "seed", "validation",
            "early_stopping", "checkpoints");

    /** The most epochs a spec may ask for (a budget beyond is a typo, and its step counts would overflow). */
    public static final int MAX_EPOCHS = 1_000_000;
    /** The largest mini-batch a spec may ask for; whether it fits this machine is the memory estimate's call. */
    public static final int MAX_BATCH = 1 << 20;

    public TrainSpec {
        checkpoints = checkpoints == null ? CheckpointSpec.DEFAULT : checkpoints;
    }

    /** A budget without early stopping, with the default checkpoints. */
    public TrainSpec(int epochs, int batch, long seed, int validation) {
        this(epochs, batch, seed, validation, null, CheckpointSpec.DEFAULT);
    }

    /** Reads the {@code train} section of spec tree {@code top}. Problems go to {@code r} with their paths. */
    static TrainSpec read(JsonReader r, JsonNode top) {
        JsonNode t = r.object(top.get("train"), "train", FIELDS);
        if (!top.has("train")) {
            r.error("train", "is required, e.g. {\"epochs\": 1, \"batch\": 64}");
        }
        int validation = (int) r.integer(t, "validation", "train", 0L, 0);
        EarlyStoppingSpec earlyStopping = EarlyStoppingSpec.read(r, t);
        if (earlyStopping != null && validation == 0) {
            r.error("train.early_stopping", "watches a validation metric: hold out a validation set with"
                    + " train.validation (e.g. 5000)");
        }
        return new TrainSpec(
                (int) r.integer(t, "epochs", "train", top.has("train") ? null : 1L, 1, MAX_EPOCHS),
                (int) r.integer(t, "batch", "train", 64L, 1, MAX_BATCH),
                r.integer(t, "seed", "train", 42L, Long.MIN_VALUE, Long.MAX_VALUE),
                validation, earlyStopping, CheckpointSpec.read(r, t));
    }
}
