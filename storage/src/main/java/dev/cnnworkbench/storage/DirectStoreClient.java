package dev.cnnworkbench.storage;

import dev.cnnworkbench.core.bus.ChecksRecorded;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.storage.filter.FilterParser;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@link StoreClient} of a database open in this process: its queries, run on the calling thread. */
public final class DirectStoreClient implements StoreClient {

    private final Database db;
    private final RunQueries queries;

    public DirectStoreClient(Database db) {
        this.db = db;
        this.queries = new RunQueries(db);
    }

    @Override
    public RunPage find(RunQuery query) {
        return queries.find(query);
    }

    @Override
    public boolean anyRunHas(String key) {
        return queries.anyRunHas(FilterParser.parseField(key));
    }

    @Override
    public Optional<RunSummary> run(String id) {
        return queries.run(id);
    }

    @Override
    public Map<String, String> specAndProvenance(String runId) {
        return queries.specAndProvenance(runId);
    }

    @Override
    public List<MetricPoint> history(String runId, String metric) {
        return queries.history(runId, metric);
    }

    @Override
    public List<SweepStore.TrialRun> trialRuns(String sweepId) {
        return new SweepStore(db).trialRuns(sweepId);
    }

    @Override
    public void writeChecks(ChecksRecorded checks) {
        try {
            new SanityCheckStore(db).write(new SanityCheckStore.Session(checks.sessionId(), checks.experiment(),
                    checks.spec(), checks.runId(), checks.user(), checks.startedAt()), checks.results());
        } catch (SQLException e) {
            throw new StorageException("cannot store the check results in " + db.url() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String where() {
        return db.url();
    }

    @Override
    public Optional<Database> database() {
        return Optional.of(db);
    }
}
