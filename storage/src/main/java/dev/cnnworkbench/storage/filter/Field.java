package dev.cnnworkbench.storage.filter;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a filter condition or a sort key is about: a column of the run, a parameter, or a latest metric value. */
public sealed interface Field {

    /** How a column's values compare. */
    enum Type { TEXT, NUMBER, TIME }

    /** How the field is written in a filter ({@code status}, {@code params.optimizer.lr}, {@code metrics.val_accuracy}). */
    String display();

    /**
     * A column of the runs table.
     *
     * @param sql      the SQL expression over the runs table aliased {@code r}; fixed text, never user input
     * @param nullable whether a run may have no value in it
     */
    record Column(String name, String sql, Type type, boolean nullable) implements Field {
        @Override
        public String display() {
            return name;
        }
    }

    /** A spec parameter by its flattened dotted name ({@code optimizer.lr}, {@code model.layers[0].filters}). */
    record Param(String name) implements Field {
        @Override
        public String display() {
            return "params." + name;
        }
    }

    /** The latest value of a metric of the run. */
    record Metric(String name) implements Field {
        @Override
        public String display() {
            return "metrics." + name;
        }
    }

    /**
     * The run's tags ({@code tag = 'baseline'}): a condition holds when one of the run's tags satisfies it;
     * {@code tag is null} holds for a run without tags.
     */
    record Tag() implements Field {
        @Override
        public String display() {
            return "tag";
        }
    }

    /**
     * The ensembles a run is part of ({@code ensemble = 'ID'}): as a member, as the run that scored the ensemble, or
     * as the run whose snapshots it averages; {@code ensemble is null} holds for a run in no ensemble.
     */
    record Ensemble() implements Field {
        @Override
        public String display() {
            return "ensemble";
        }
    }

    /** The columns a filter may name, by their filter name. */
    Map<String, Column> COLUMNS = columns();

    private static Map<String, Column> columns() {
        Map<String, Column> c = new LinkedHashMap<>();
        for (Column col : new Column[] {
            new Column("id", "r.id", Type.TEXT, false),
            new Column("name", "r.name", Type.TEXT, false),
            new Column("experiment", "r.experiment", Type.TEXT, false),
            new Column("status", "r.status", Type.TEXT, false),
            new Column("user", "r.user_name", Type.TEXT, true),
            new Column("host", "r.host", Type.TEXT, true),
            new Column("started_at", "r.started_at", Type.TIME, false),
            new Column("ended_at", "r.ended_at", Type.TIME, true),
            new Column("duration", "(DATEDIFF('MILLISECOND', r.started_at, COALESCE(r.ended_at, CURRENT_TIMESTAMP))"
                    + " / 1000.0)", Type.NUMBER, false),
            new Column("error", "r.error", Type.TEXT, true),
            new Column("notes", "r.notes", Type.TEXT, true),
            new Column("sweep", "r.sweep_id", Type.TEXT, true),
            new Column("trial", "r.sweep_trial", Type.NUMBER, true),
        }) {
            c.put(col.name(), col);
        }
        return Map.copyOf(c);
    }
}
