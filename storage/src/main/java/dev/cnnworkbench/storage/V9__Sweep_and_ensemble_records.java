package dev.cnnworkbench.storage;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Sweeps and ensembles become records. V6 created their tables but nothing filled them; they are recreated in the
 * shape the writers use ({@link SweepStore}, {@link EnsembleStore}): a sweep's domains and early-stop rule, the ASHA
 * decisions ({@code sweep_rungs}), an ensemble's combination rule, its recording run and its members' artifact paths
 * and SHA-256. Runs get their trial number next to {@code sweep_id} (widened to a sweep name's length).
 *
 * <p>Existing homes: the trial runs recorded before, recognised once here by their names ({@code <sweep>-trial-NNN},
 * the sweep being the run's experiment), are linked to a sweep record per experiment ({@code method} {@code unknown},
 * objective {@code val_accuracy} max as the old pages assumed, status {@code MIGRATED}); each trial's values are the
 * parameters that differ between that sweep's trial runs. Running the sweep's spec again replaces the definition.
 */
final class V9__Sweep_and_ensemble_records extends BaseJavaMigration {

    private static final Pattern TRIAL = Pattern.compile("(.+)-trial-(\\d{1,9})");

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            for (String sql : SCHEMA) {
                s.execute(sql);
            }
        }
        linkOldTrials(c);
    }

    private static final String[] SCHEMA = {
        "DROP TABLE sweep_trials",
        "DROP TABLE sweeps",
        "DROP TABLE ensemble_results",
        "DROP TABLE ensemble_members",
        "DROP TABLE ensembles",
        "ALTER TABLE runs ALTER COLUMN sweep_id SET DATA TYPE VARCHAR(255)",
        "ALTER TABLE runs ADD COLUMN sweep_trial INT",
        // a sweep's latest definition (a resumed sweep's start replaces it); spec is the whole sweep spec file
        """
        CREATE TABLE sweeps (
            id               VARCHAR(255) PRIMARY KEY,
            spec             CLOB         NOT NULL,
            method           VARCHAR(16)  NOT NULL,
            objective_metric VARCHAR(255) NOT NULL,
            objective_goal   VARCHAR(8)   NOT NULL,
            trials           INT          NOT NULL,
            parallel         INT          DEFAULT 1 NOT NULL,
            seed             BIGINT,
            domains          CLOB         NOT NULL,
            early_stop       VARCHAR(1000),
            explosion_factor DOUBLE PRECISION,
            status           VARCHAR(16)  NOT NULL,
            parent_sweep_id  VARCHAR(255),
            user_name        VARCHAR(255),
            created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
            updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
        )""",
        "CREATE INDEX sweeps_parent ON sweeps (parent_sweep_id)",
        // one row per planned trial; run_id: its latest run (the one a resumed sweep judges)
        """
        CREATE TABLE sweep_trials (
            sweep_id  VARCHAR(255) NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
            trial     INT          NOT NULL,
            params    CLOB         NOT NULL,
            run_id    VARCHAR(32),
            PRIMARY KEY (sweep_id, trial)
        )""",
        "CREATE INDEX sweep_trials_run ON sweep_trials (run_id)",
        // every ASHA judgement: the trial's value at the rung, the threshold it had to meet, and the decision
        """
        CREATE TABLE sweep_rungs (
            sweep_id   VARCHAR(255) NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
            trial      INT          NOT NULL,
            rung       INT          NOT NULL,
            val        DOUBLE PRECISION,
            threshold  DOUBLE PRECISION,
            rank       INT          NOT NULL,
            of_trials  INT          NOT NULL,
            promoted   BOOLEAN      NOT NULL,
            reason     VARCHAR(4000),
            decided_at TIMESTAMP WITH TIME ZONE NOT NULL,
            PRIMARY KEY (sweep_id, trial, rung)
        )""",
        """
        CREATE TABLE ensembles (
            id               VARCHAR(32)  PRIMARY KEY,
            run_id           VARCHAR(32)  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            name             VARCHAR(255) NOT NULL,
            kind             VARCHAR(16)  NOT NULL,
            source_run_id    VARCHAR(32),
            sweep_id         VARCHAR(255),
            combination      VARCHAR(32)  NOT NULL,
            eval_split       VARCHAR(16)  NOT NULL,
            examples         INT          NOT NULL,
            accuracy         DOUBLE PRECISION NOT NULL,
            loss             DOUBLE PRECISION,
            best_member      INT          NOT NULL,
            test_method      VARCHAR(32)  NOT NULL,
            only_ensemble    INT,
            only_best        INT,
            p_value          DOUBLE PRECISION,
            created_at       TIMESTAMP WITH TIME ZONE NOT NULL
        )""",
        "CREATE INDEX ensembles_run ON ensembles (run_id)",
        """
        CREATE TABLE ensemble_members (
            ensemble_id  VARCHAR(32)   NOT NULL REFERENCES ensembles (id) ON DELETE CASCADE,
            position     INT           NOT NULL,
            run_id       VARCHAR(32),
            artifact     VARCHAR(1024),
            sha256       CHAR(64),
            label        VARCHAR(255),
            accuracy     DOUBLE PRECISION,
            loss         DOUBLE PRECISION,
            PRIMARY KEY (ensemble_id, position)
        )""",
        "CREATE INDEX ensemble_members_run ON ensemble_members (run_id)",
        """
        CREATE TABLE ensemble_results (
            ensemble_id  VARCHAR(32) NOT NULL REFERENCES ensembles (id) ON DELETE CASCADE,
            members      INT         NOT NULL,
            accuracy     DOUBLE PRECISION NOT NULL,
            loss         DOUBLE PRECISION,
            PRIMARY KEY (ensemble_id, members)
        )""",
        // the runs an ensemble involves (members, the run that scored it, the run whose snapshots it averages): the
        // filter field `ensemble` reads this
        """
        CREATE VIEW ensemble_runs (ensemble_id, run_id) AS
            SELECT ensemble_id, run_id FROM ensemble_members WHERE run_id IS NOT NULL
            UNION SELECT id, run_id FROM ensembles
            UNION SELECT id, source_run_id FROM ensembles WHERE source_run_id IS NOT NULL""",
    };

    /** A trial run found by its name. */
    private record OldTrial(String runId, int trial, Map<String, Object> params, Timestamp startedAt, String user) {
    }

    private static void linkOldTrials(Connection c) throws Exception {
        Map<String, List<OldTrial>> bySweep = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, name, experiment, started_at, user_name FROM runs ORDER BY started_at")) {
            while (rs.next()) {
                Matcher m = TRIAL.matcher(rs.getString(2));
                if (m.matches() && m.group(1).equals(rs.getString(3))) {
                    bySweep.computeIfAbsent(rs.getString(3), k -> new ArrayList<>()).add(new OldTrial(rs.getString(1),
                            Integer.parseInt(m.group(2)), params(c, rs.getString(1)), rs.getTimestamp(4), rs.getString(5)));
                }
            }
        }
        for (Map.Entry<String, List<OldTrial>> e : bySweep.entrySet()) {
            link(c, e.getKey(), e.getValue());
        }
    }

    private static Map<String, Object> params(Connection c, String runId) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, num_value, text_value FROM run_params WHERE run_id = ?"
                + " ORDER BY name")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double num = rs.getDouble(2);
                    out.put(rs.getString(1), rs.wasNull() ? rs.getString(3) : num);
                }
            }
        }
        return out;
    }

    private static void link(Connection c, String sweep, List<OldTrial> trials) throws Exception {
        List<String> swept = new ArrayList<>();
        for (String name : trials.get(0).params().keySet()) {
            if (!name.equals("name") && trials.stream().map(t -> t.params().get(name)).distinct().count() > 1) {
                swept.add(name);
            }
        }
        int count = trials.stream().mapToInt(OldTrial::trial).max().orElse(0);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sweeps (id, spec, method, objective_metric,"
                + " objective_goal, trials, parallel, domains, status, user_name, created_at, updated_at)"
                + " VALUES (?, '{}', 'unknown', 'val_accuracy', 'max', ?, 1, '{}', 'MIGRATED', ?, ?, ?)")) {
            ps.setString(1, sweep);
            ps.setInt(2, count);
            ps.setString(3, trials.get(0).user());
            ps.setTimestamp(4, trials.get(0).startedAt());
            ps.setTimestamp(5, trials.get(trials.size() - 1).startedAt());
            ps.executeUpdate();
        }
        // the latest run of each trial number is the trial's (as the name-based resume judged it)
        Map<Integer, OldTrial> latest = new HashMap<>();
        trials.forEach(t -> latest.put(t.trial(), t));
        try (PreparedStatement run = c.prepareStatement("UPDATE runs SET sweep_id = ?, sweep_trial = ? WHERE id = ?");
             PreparedStatement trial = c.prepareStatement("INSERT INTO sweep_trials (sweep_id, trial, params, run_id)"
                     + " VALUES (?, ?, ?, ?)")) {
            for (OldTrial t : trials) {
                run.setString(1, sweep);
                run.setInt(2, t.trial());
                run.setString(3, t.runId());
                run.addBatch();
            }
            for (OldTrial t : latest.values()) {
                JsonObject values = new JsonObject();
                swept.forEach(name -> values.put(name, t.params().get(name)));
                trial.setString(1, sweep);
                trial.setInt(2, t.trial());
                trial.setString(3, values.encode());
                trial.setString(4, Objects.requireNonNull(t.runId()));
                trial.addBatch();
            }
            run.executeBatch();
            trial.executeBatch();
        }
    }
}
