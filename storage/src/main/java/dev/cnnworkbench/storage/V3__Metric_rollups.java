package dev.cnnworkbench.storage;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** Builds the min/max pyramid ({@code metric_rollups}, created empty by V2) of the points already stored. */
final class V3__Metric_rollups extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        MetricRollups.rebuildAll(context.getConnection());
    }
}
