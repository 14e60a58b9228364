package dev.cnnworkbench.storage;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Built the first rollup pyramid over V2's {@code metric_points}. Superseded by {@link V5__Metric_chunks},
 * which moves the points into chunks and rebuilds the pyramid at its new levels, so this step now does
 * nothing; it stays so that databases that applied it still validate.
 */
final class V3__Metric_rollups extends BaseJavaMigration {

    @Override
    public void migrate(Context context) {
        // Superseded by V5.
    }
}
