package dev.cnnworkbench.storage.mlflow;

import java.util.Map;

/**
 * An experiment as an MLflow client sees it: the workbench experiment {@code name} under MLflow's numeric id.
 *
 * @param id          MLflow's experiment id (0 is "Default")
 * @param deleted     whether it is soft-deleted (MLflow's lifecycle stage {@code deleted})
 * @param createdAt   epoch milliseconds
 * @param updatedAt   epoch milliseconds of the last rename, delete or restore (the creation when none)
 * @param description the workbench description, MLflow's {@code mlflow.note.content} tag; {@code null} when none
 * @param tags        the experiment's key/value tags
 */
public record MlflowExperiment(long id, String name, boolean deleted, long createdAt, long updatedAt,
                               String description, Map<String, String> tags) {

    public MlflowExperiment {
        tags = Map.copyOf(tags);
    }
}
