package dev.cnnworkbench.storage.filter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Compiles a {@link Filter} to a parameterised SQL condition over the runs table aliased {@code r}.
 * The SQL text comes only from this class and from {@link Field.Column#sql()}; every value and every
 * parameter or metric name from the filter travels as a bind argument. Stateless and thread-safe.
 */
public final class FilterSql {

    /** A SQL fragment and its bind arguments, in order. */
    public record Sql(String sql, List<Object> args) {
        public Sql {
            args = Collections.unmodifiableList(new ArrayList<>(args));
        }
    }

    private FilterSql() {
    }

    /** The condition for {@code filter}; {@code TRUE} for a null (empty) filter. */
    public static Sql where(Filter filter) {
        StringBuilder sql = new StringBuilder();
        List<Object> args = new ArrayList<>();
        if (filter == null) {
            sql.append("TRUE");
        } else {
            emit(filter, sql, args);
        }
        return new Sql(sql.toString(), args);
    }

    private static void emit(Filter f, StringBuilder sql, List<Object> args) {
        if (f instanceof Filter.And and) {
            binary(and.left(), " AND ", and.right(), sql, args);
        } else if (f instanceof Filter.Or or) {
            binary(or.left(), " OR ", or.right(), sql, args);
        } else if (f instanceof Filter.Not not) {
            if (mayBeUnknown(not.inner())) {
                // A condition on an empty column is UNKNOWN, and NOT UNKNOWN excludes the row; a run with no
                // value does not satisfy the inner condition, so its negation must include the run.
                sql.append("(NOT COALESCE(");
                emit(not.inner(), sql, args);
                sql.append(", FALSE))");
            } else {
                sql.append("(NOT ");
                emit(not.inner(), sql, args);
                sql.append(')');
            }
        } else if (f instanceof Filter.Compare c) {
            condition(c.field(), sql, args, (target, a) -> {
                a.add(bindable(c.value()));
                return target.valueColumn(c.value()) + " " + c.op().sql() + " ?";
            });
        } else if (f instanceof Filter.In in) {
            condition(in.field(), sql, args, (target, a) -> in(in, target, a));
        } else if (f instanceof Filter.Like like) {
            condition(like.field(), sql, args, (target, a) -> {
                a.add(like.pattern());
                return target.valueColumn(like.pattern()) + (like.ignoreCase() ? " ILIKE" : " LIKE") + " ? ESCAPE '\\'";
            });
        } else if (f instanceof Filter.IsNull isNull) {
            if (isNull.field() instanceof Field.Column col) {
                sql.append(col.sql()).append(" IS NULL");
            } else {
                sql.append("NOT ");
                condition(isNull.field(), sql, args, (target, a) -> "TRUE");
            }
        } else {
            throw new IllegalArgumentException("unknown filter node " + f);
        }
    }

    /** Whether the condition can be UNKNOWN: it compares a column that may be NULL. */
    private static boolean mayBeUnknown(Filter f) {
        if (f instanceof Filter.And and) {
            return mayBeUnknown(and.left()) || mayBeUnknown(and.right());
        }
        if (f instanceof Filter.Or or) {
            return mayBeUnknown(or.left()) || mayBeUnknown(or.right());
        }
        if (f instanceof Filter.Not not) {
            return mayBeUnknown(not.inner());
        }
        Field field = f instanceof Filter.Compare c ? c.field() : f instanceof Filter.In in ? in.field()
                : f instanceof Filter.Like like ? like.field() : null;
        return field instanceof Field.Column col && col.nullable();
    }

    private static void binary(Filter left, String op, Filter right, StringBuilder sql, List<Object> args) {
        sql.append('(');
        emit(left, sql, args);
        sql.append(op);
        emit(right, sql, args);
        sql.append(')');
    }

    /** Numbers and texts of a mixed list go to their own columns (a parameter has both). */
    private static String in(Filter.In in, Target target, List<Object> args) {
        List<String> parts = new ArrayList<>();
        List<Object> nums = new ArrayList<>();
        List<Object> others = new ArrayList<>();
        for (Object v : in.values()) {
            (v instanceof Double ? nums : others).add(v);
        }
        for (List<Object> group : List.of(nums, others)) {
            if (!group.isEmpty()) {
                parts.add(target.valueColumn(group.get(0)) + " IN (" + placeholders(group.size()) + ")");
                group.forEach(v -> args.add(bindable(v)));
            }
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(" OR ", parts) + ")";
    }

    /** Where a field's values live: a column of {@code r}, or a row of a side table found by name. */
    private interface Target {
        String valueColumn(Object value);
    }

    private interface Body {
        String build(Target target, List<Object> args);
    }

    /** Emits {@code body} against the field: inline for a column, inside an EXISTS for a parameter or metric. */
    private static void condition(Field field, StringBuilder sql, List<Object> args, Body body) {
        // Side tables are searched by value through their (name, value) indexes, once per query, rather
        // than run by run: r.id IN (uncorrelated subquery).
        if (field instanceof Field.Column col) {
            sql.append(body.build(value -> col.sql(), args));
        } else if (field instanceof Field.Param param) {
            sql.append("r.id IN (SELECT p.run_id FROM run_params p WHERE p.name = ? AND ");
            args.add(param.name());
            sql.append(body.build(value -> value instanceof Double ? "p.num_value" : "p.text_value", args));
            sql.append(')');
        } else if (field instanceof Field.Tag) {
            sql.append("r.id IN (SELECT t.run_id FROM run_tags t WHERE ");
            sql.append(body.build(value -> "t.tag", args));
            sql.append(')');
        } else if (field instanceof Field.Ensemble) {
            sql.append("r.id IN (SELECT x.run_id FROM ensemble_runs x WHERE ");
            sql.append(body.build(value -> "x.ensemble_id", args));
            sql.append(')');
        } else if (field instanceof Field.Metric metric) {
            sql.append("r.id IN (SELECT m.run_id FROM metric_series m WHERE m.name = ? AND ");
            args.add(metric.name());
            sql.append(body.build(value -> "m.val", args));
            sql.append(')');
        } else {
            throw new IllegalArgumentException("unknown field " + field);
        }
    }

    private static Object bindable(Object value) {
        return value instanceof Boolean b ? b.toString() : value;
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
