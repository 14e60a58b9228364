package dev.cnnworkbench.web.mlflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Translates an MLflow run filter into the workbench's filter language (see
 * {@link dev.cnnworkbench.storage.filter.FilterParser}), so one engine finds runs for both. MLflow's form:
 * conditions joined by {@code AND}, each {@code entity.key op value}: {@code metrics.x > 0.9} (numbers; =, !=, &lt;,
 * &lt;=, &gt;, &gt;=), {@code params.p = 'v'} and {@code tags.t = 'v'} (strings; =, !=, LIKE, ILIKE, IN, NOT IN for
 * params), {@code attributes.status = 'FINISHED'} (also run_id, run_name, user_id, start_time, end_time); a key may be
 * quoted with double quotes or backquotes. Tags with values are not in the workbench language: their conditions
 * become {@code id in (...)} over the runs a lookup finds. Refusals are INVALID_PARAMETER_VALUE naming the token.
 */
final class MlflowFilter {

    /** The runs whose tag {@code key} compares with {@code value} by {@code op} (=, !=, LIKE, ILIKE). */
    interface TagLookup {
        Set<String> runs(String key, String op, String value);
    }

    private final String text;
    private final TagLookup tags;
    private int i;

    private MlflowFilter(String text, TagLookup tags) {
        this.text = text;
        this.tags = tags;
    }

    /** The workbench filter for {@code filter}; empty for an empty filter. */
    static String translate(String filter, TagLookup tags) {
        if (filter == null || filter.isBlank()) {
            return "";
        }
        MlflowFilter f = new MlflowFilter(filter, tags);
        List<String> out = new ArrayList<>();
        do {
            out.add(f.condition());
        } while (f.and());
        f.skip();
        if (f.i < f.text.length()) {
            throw f.error("expected AND or the end of the filter");
        }
        return String.join(" and ", out);
    }

    private boolean and() {
        skip();
        if (text.regionMatches(true, i, "AND", 0, 3) && i + 3 < text.length() && Character.isWhitespace(text.charAt(i + 3))) {
            i += 3;
            return true;
        }
        return false;
    }

    private String condition() {
        skip();
        int start = i;
        String entity = word().toLowerCase(Locale.ROOT);
        String key;
        if (i < text.length() && text.charAt(i) == '.') {
            i++;
            key = key();
        } else {
            key = entity;
            entity = "attributes";
        }
        String op = op();
        return switch (entity) {
            case "metric", "metrics" -> metric(key, op);
            case "param", "params", "parameter", "parameters" -> param(key, op);
            case "tag", "tags" -> tag(key, op);
            case "attribute", "attributes", "attr", "run" -> attribute(key, op);
            default -> throw errorAt(start, "unknown entity '" + entity + "': use metrics., params., tags. or attributes.");
        };
    }

    private String metric(String key, String op) {
        if (!Set.of("=", "!=", "<", "<=", ">", ">=").contains(op)) {
            throw error("metrics compare with =, !=, <, <=, > or >=, not " + op);
        }
        return "metrics." + quoteName(key) + " " + op + " " + number();
    }

    private String param(String key, String op) {
        String field = "params." + quoteName(key);
        if (op.endsWith("IN")) {
            return (op.startsWith("NOT") ? "not " : "") + field + " in " + list();
        }
        if (!Set.of("=", "!=", "LIKE", "ILIKE").contains(op)) {
            throw error("params compare as strings: =, !=, LIKE, ILIKE, IN or NOT IN, not " + op);
        }
        return field + " " + op.toLowerCase(Locale.ROOT) + " " + quote(string());
    }

    private String tag(String key, String op) {
        if (!Set.of("=", "!=", "LIKE", "ILIKE").contains(op)) {
            throw error("tags compare as strings: =, !=, LIKE or ILIKE, not " + op);
        }
        return idIn(tags.runs(key, op, string()));
    }

    static String idIn(Set<String> ids) {
        return ids.isEmpty() ? "id = ''" : "id in (" + ids.stream().sorted().map(MlflowFilter::quote)
                .collect(Collectors.joining(", ")) + ")";
    }

    private String attribute(String key, String op) {
        switch (key) {
            case "status" -> {
                if (op.endsWith("IN")) {
                    throw error("attributes.status takes = or !=");
                }
                String v = string();
                String statuses = "KILLED".equals(v) ? "('STOPPED', 'INTERRUPTED')" : "(" + quote(v) + ")";
                return switch (op) {
                    case "=" -> "status in " + statuses;
                    case "!=" -> "not status in " + statuses;
                    default -> throw error("attributes.status takes = or !=, not " + op);
                };
            }
            case "run_id", "run_name", "user_id" -> {
                String column = switch (key) {
                    case "run_id" -> "id";
                    case "run_name" -> "name";
                    default -> "user";
                };
                if (op.endsWith("IN")) {
                    return (op.startsWith("NOT") ? "not " : "") + column + " in " + list();
                }
                return column + " " + op.toLowerCase(Locale.ROOT) + " " + quote(string());
            }
            case "start_time", "end_time", "created" -> {
                String column = "end_time".equals(key) ? "ended_at" : "started_at";
                String millis = number();
                try {
                    return column + " " + op + " " + quote(Instant.ofEpochMilli((long) Double.parseDouble(millis)).toString());
                } catch (RuntimeException e) {
                    throw error(key + " takes epoch milliseconds, got " + millis);
                }
            }
            default -> throw error("unknown attribute '" + key + "': use status, run_id, run_name, user_id, start_time"
                    + " or end_time");
        }
    }

    private String op() {
        skip();
        for (String two : new String[] {"!=", "<=", ">=", "==", "<>"}) {
            if (text.startsWith(two, i)) {
                i += 2;
                return "==".equals(two) ? "=" : "<>".equals(two) ? "!=" : two;
            }
        }
        if (i < text.length() && "=<>".indexOf(text.charAt(i)) >= 0) {
            return String.valueOf(text.charAt(i++));
        }
        String w = word().toUpperCase(Locale.ROOT);
        if ("NOT".equals(w)) {
            skip();
            if (!"IN".equalsIgnoreCase(word())) {
                throw error("expected IN after NOT");
            }
            return "NOT IN";
        }
        if (Set.of("LIKE", "ILIKE", "IN").contains(w)) {
            return w;
        }
        throw error("expected a comparison (=, !=, <, <=, >, >=, LIKE, ILIKE, IN)");
    }

    private String word() {
        skip();
        int start = i;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
            i++;
        }
        if (start == i) {
            throw error("expected a name");
        }
        return text.substring(start, i);
    }

    private String key() {
        if (i < text.length() && (text.charAt(i) == '`' || text.charAt(i) == '"')) {
            char q = text.charAt(i);
            int close = text.indexOf(q, i + 1);
            if (close < 0) {
                throw error("unterminated quoted name");
            }
            String k = text.substring(i + 1, close);
            i = close + 1;
            return k;
        }
        int start = i;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || "_.-/:".indexOf(text.charAt(i)) >= 0)) {
            i++;
        }
        if (start == i) {
            throw error("expected a key after the '.'");
        }
        return text.substring(start, i);
    }

    private String string() {
        skip();
        if (i >= text.length() || (text.charAt(i) != '\'' && text.charAt(i) != '"')) {
            throw error("expected a quoted string");
        }
        char q = text.charAt(i);
        StringBuilder b = new StringBuilder();
        for (i++; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                b.append(text.charAt(++i));
            } else if (c == q) {
                i++;
                return b.toString();
            } else {
                b.append(c);
            }
        }
        throw error("unterminated string");
    }

    private String number() {
        skip();
        int start = i;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || "+-.".indexOf(text.charAt(i)) >= 0)) {
            i++;
        }
        String n = text.substring(start, i);
        try {
            Double.parseDouble(n);
            return n;
        } catch (NumberFormatException e) {
            throw errorAt(start, "expected a number, got '" + n + "'");
        }
    }

    private String list() {
        skip();
        if (i >= text.length() || text.charAt(i) != '(') {
            throw error("expected '(' to open the list of IN");
        }
        i++;
        List<String> values = new ArrayList<>();
        do {
            values.add(quote(string()));
            skip();
        } while (i < text.length() && text.charAt(i) == ',' && ++i > 0);
        if (i >= text.length() || text.charAt(i) != ')') {
            throw error("expected ')' to close the list of IN");
        }
        i++;
        return "(" + String.join(", ", values) + ")";
    }

    private void skip() {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
    }

    /** A string literal of the workbench language (quotes doubled). */
    static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String quoteName(String key) {
        if (key.indexOf('`') >= 0) {
            throw MlflowException.invalid("a key cannot contain a backquote: " + key);
        }
        return "`" + key + "`";
    }

    private MlflowException error(String message) {
        return errorAt(i, message);
    }

    private MlflowException errorAt(int at, String message) {
        return MlflowException.invalid("invalid filter '" + text + "' at position " + at + ": " + message);
    }
}
