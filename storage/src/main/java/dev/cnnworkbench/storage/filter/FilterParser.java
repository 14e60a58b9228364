package dev.cnnworkbench.storage.filter;

import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.FilterException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Parses the run filter language into a {@link Filter}. Stateless and thread-safe.
 *
 * <pre>
 * filter     := [ or ]                      (empty: every run)
 * or         := and { OR and }
 * and        := unary { AND unary }
 * unary      := NOT unary | '(' or ')' | condition
 * condition  := field op value
 *             | field [NOT] IN '(' value { ',' value } ')'
 *             | field [NOT] (LIKE | ILIKE) string
 *             | field IS [NOT] NULL
 * field      := column | tag | params.NAME | metrics.NAME
 *                                    (NAME: dotted, [i] indexes, / and - allowed; `back-quoted` for anything else)
 * op         := = | == | != | &lt;&gt; | &lt; | &lt;= | &gt; | &gt;=
 * value      := number | 'string' | "string" | true | false      (NaN, Infinity, -Infinity are numbers)
 * </pre>
 *
 * Keywords are case-insensitive. Columns: {@code id, name, experiment, status, user, host, started_at,
 * ended_at, duration (seconds), error, notes, sweep}; {@code tag} matches any of a run's tags. Time
 * columns take ISO dates or times as strings ({@code '2024-05-01'}, {@code '2024-05-01T10:00:00Z'}); a
 * time without an offset is UTC. A parameter compared with a number compares as a number, with a
 * string or a boolean as text. A condition on a parameter, metric or tag the run lacks is false, so
 * {@code not} of it holds.
 *
 * <p>Limits, so that no filter can exhaust the stack here, in the SQL it compiles to or in H2: at most
 * {@link #MAX_NESTING} parentheses and {@code not}s inside one another, and at most {@link #MAX_CONDITIONS}
 * conditions; beyond them the filter fails with a FilterException at the token that crossed the limit.
 */
public final class FilterParser {

    /** How deep parentheses and {@code not}s may nest. */
    public static final int MAX_NESTING = 64;

    /** How many conditions one filter may hold. */
    public static final int MAX_CONDITIONS = 256;

    private FilterParser() {
    }

    /** Parses {@code filter}; returns {@code null} for an empty filter (every run). */
    public static Filter parse(String filter) {
        String text = filter == null ? "" : filter;
        Parser p = new Parser(text, new Lexer(text).tokens());
        if (p.peek().kind == Kind.EOF) {
            return null;
        }
        Filter f = p.or();
        Token end = p.peek();
        if (end.kind != Kind.EOF) {
            throw p.error(end, end.kind == Kind.RPAREN ? "unmatched ')'" : "expected and, or, or the end of the filter");
        }
        return f;
    }

    /** Parses a sort key: a column, {@code params.NAME} or {@code metrics.NAME}. */
    public static Field parseField(String key) {
        String text = key == null ? "" : key.trim();
        Parser p = new Parser(text, new Lexer(text).tokens());
        Token start = p.next();
        Field f = p.field(start);
        if (f instanceof Field.Tag || f instanceof Field.Ensemble) {
            throw p.error(start, "runs cannot be sorted by " + f.display());
        }
        Token end = p.peek();
        if (end.kind != Kind.EOF) {
            throw p.error(end, "expected only a field");
        }
        return f;
    }

    enum Kind { FIELD, STRING, NUMBER, LPAREN, RPAREN, COMMA, OP, AND, OR, NOT, IN, LIKE, ILIKE, IS, NULL, TRUE, FALSE, EOF }

    /** @param value the field name (quotes removed), the string's content, or the number as a Double */
    record Token(Kind kind, String text, int position, Object value) {
    }

    private static final class Lexer {
        private final String s;
        private int i;

        Lexer(String s) {
            this.s = s;
        }

        List<Token> tokens() {
            List<Token> out = new ArrayList<>();
            while (true) {
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    out.add(new Token(Kind.EOF, "", s.length(), null));
                    return out;
                }
                out.add(next());
            }
        }

        private Token next() {
            int start = i;
            char c = s.charAt(i);
            switch (c) {
                case '(' -> {
                    i++;
                    return new Token(Kind.LPAREN, "(", start, null);
                }
                case ')' -> {
                    i++;
                    return new Token(Kind.RPAREN, ")", start, null);
                }
                case ',' -> {
                    i++;
                    return new Token(Kind.COMMA, ",", start, null);
                }
                case '\'', '"' -> {
                    return string(c);
                }
                case '=', '!', '<', '>' -> {
                    return operator();
                }
                default -> {
                    if (isDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < s.length()
                            && (isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '.' || s.startsWith("Infinity", i + 1)))) {
                        return number();
                    }
                    if (Character.isLetter(c) || c == '_' || c == '`') {
                        return word();
                    }
                    throw new FilterException(s, start, String.valueOf(c), "unexpected character");
                }
            }
        }

        private Token string(char quote) {
            int start = i++;
            StringBuilder b = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == quote) {
                    if (i < s.length() && s.charAt(i) == quote) {
                        b.append(quote);
                        i++;
                    } else {
                        return new Token(Kind.STRING, s.substring(start, i), start, b.toString());
                    }
                } else {
                    b.append(c);
                }
            }
            throw new FilterException(s, start, s.substring(start), "unterminated string (close it with " + quote + ")");
        }

        private Token operator() {
            int start = i;
            String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
            String op = switch (two) {
                case "==", "!=", "<>", "<=", ">=" -> two;
                default -> String.valueOf(s.charAt(i));
            };
            if (op.equals("!")) {
                throw new FilterException(s, start, "!", "unexpected '!' (did you mean '!=' or not?)");
            }
            i += op.length();
            return new Token(Kind.OP, op, start, null);
        }

        private Token number() {
            int start = i;
            if (s.charAt(i) == '-' || s.charAt(i) == '+') {
                i++;
            }
            if (s.startsWith("Infinity", i)) {
                i += "Infinity".length();
            } else {
                while (i < s.length() && (isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                    i++;
                    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                        i++;
                    }
                    while (i < s.length() && isDigit(s.charAt(i))) {
                        i++;
                    }
                }
            }
            // A number runs into a letter only when it is mistyped (1e, 0.1x): report the whole word.
            int end = i;
            while (end < s.length() && isWordChar(s.charAt(end))) {
                end++;
            }
            String text = s.substring(start, end);
            i = end;
            try {
                return new Token(Kind.NUMBER, text, start, Double.parseDouble(text));
            } catch (NumberFormatException e) {
                throw new FilterException(s, start, text, "malformed number");
            }
        }

        private Token word() {
            int start = i;
            StringBuilder name = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '`') {
                    int close = s.indexOf('`', i + 1);
                    if (close < 0) {
                        throw new FilterException(s, i, s.substring(i), "unterminated `quoted name`");
                    }
                    name.append(s, i + 1, close);
                    i = close + 1;
                } else if (isWordChar(c) || c == '.' || c == '[' || c == ']' || c == '/' || c == '-') {
                    name.append(c);
                    i++;
                } else {
                    break;
                }
            }
            String text = s.substring(start, i);
            Kind kw = text.indexOf('`') >= 0 ? null : keyword(text.toUpperCase(Locale.ROOT));
            if (kw != null) {
                return new Token(kw, text, start, null);
            }
            if (text.equalsIgnoreCase("NaN")) {
                return new Token(Kind.NUMBER, text, start, Double.NaN);
            }
            if (text.equalsIgnoreCase("Infinity")) {
                return new Token(Kind.NUMBER, text, start, Double.POSITIVE_INFINITY);
            }
            return new Token(Kind.FIELD, text, start, name.toString());
        }

        private static Kind keyword(String upper) {
            return switch (upper) {
                case "AND" -> Kind.AND;
                case "OR" -> Kind.OR;
                case "NOT" -> Kind.NOT;
                case "IN" -> Kind.IN;
                case "LIKE" -> Kind.LIKE;
                case "ILIKE" -> Kind.ILIKE;
                case "IS" -> Kind.IS;
                case "NULL" -> Kind.NULL;
                case "TRUE" -> Kind.TRUE;
                case "FALSE" -> Kind.FALSE;
                default -> null;
            };
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_';
        }
    }

    private static final class Parser {
        private final String text;
        private final List<Token> tokens;
        private int pos;
        private int depth;
        private int conditions;

        Parser(String text, List<Token> tokens) {
            this.text = text;
            this.tokens = tokens;
        }

        Token peek() {
            return tokens.get(pos);
        }

        Token next() {
            Token t = tokens.get(pos);
            if (t.kind != Kind.EOF) {
                pos++;
            }
            return t;
        }

        FilterException error(Token t, String problem) {
            return new FilterException(text, t.position, t.text, problem);
        }

        Filter or() {
            Filter left = and();
            while (peek().kind == Kind.OR) {
                next();
                left = new Filter.Or(left, and());
            }
            return left;
        }

        Filter and() {
            Filter left = unary();
            while (peek().kind == Kind.AND) {
                next();
                left = new Filter.And(left, unary());
            }
            return left;
        }

        Filter unary() {
            Token t = next();
            if (t.kind == Kind.NOT || t.kind == Kind.LPAREN) {
                if (++depth > MAX_NESTING) {
                    throw error(t, "parentheses and not nest deeper than " + MAX_NESTING + " levels");
                }
                Filter f;
                if (t.kind == Kind.NOT) {
                    f = new Filter.Not(unary());
                } else {
                    f = or();
                    Token close = next();
                    if (close.kind != Kind.RPAREN) {
                        throw error(close, "expected ')' to close the '(' at position " + t.position);
                    }
                }
                depth--;
                return f;
            }
            if (++conditions > MAX_CONDITIONS) {
                throw error(t, "more than " + MAX_CONDITIONS + " conditions in one filter");
            }
            return condition(t);
        }

        Field field(Token t) {
            if (t.kind != Kind.FIELD) {
                throw error(t, "expected a field (" + String.join(", ", Field.COLUMNS.keySet())
                        + ", tag, ensemble, params.NAME or metrics.NAME)");
            }
            String name = (String) t.value;
            if (name.startsWith("params.") && name.length() > "params.".length()) {
                return new Field.Param(name.substring("params.".length()));
            }
            if (name.startsWith("metrics.") && name.length() > "metrics.".length()) {
                return new Field.Metric(name.substring("metrics.".length()));
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("tag") || lower.equals("tags")) {
                return new Field.Tag();
            }
            if (lower.equals("ensemble")) {
                return new Field.Ensemble();
            }
            Field.Column column = Field.COLUMNS.get(lower);
            if (column == null) {
                throw error(t, "unknown field '" + name + "'; fields are " + String.join(", ", Field.COLUMNS.keySet())
                        + ", tag, ensemble, params.NAME and metrics.NAME");
            }
            return column;
        }

        Filter condition(Token start) {
            Field field = field(start);
            Token t = next();
            switch (t.kind) {
                case OP -> {
                    Filter.Op op = op(t.text);
                    Token v = next();
                    return new Filter.Compare(field, op, value(field, op, v));
                }
                case IN -> {
                    return in(field);
                }
                case LIKE, ILIKE -> {
                    return like(field, t);
                }
                case NOT -> {
                    Token what = next();
                    if (what.kind == Kind.IN) {
                        return new Filter.Not(in(field));
                    }
                    if (what.kind == Kind.LIKE || what.kind == Kind.ILIKE) {
                        return new Filter.Not(like(field, what));
                    }
                    throw error(what, "expected in or like after not");
                }
                case IS -> {
                    Token what = next();
                    boolean negated = what.kind == Kind.NOT;
                    if (negated) {
                        what = next();
                    }
                    if (what.kind != Kind.NULL) {
                        throw error(what, "expected null after is" + (negated ? " not" : ""));
                    }
                    Filter f = new Filter.IsNull(field);
                    return negated ? new Filter.Not(f) : f;
                }
                default -> throw error(t, "expected an operator (=, !=, <, <=, >, >=, in, like, is) after "
                        + field.display());
            }
        }

        private static Filter.Op op(String text) {
            return switch (text) {
                case "=", "==" -> Filter.Op.EQ;
                case "!=", "<>" -> Filter.Op.NE;
                case "<" -> Filter.Op.LT;
                case "<=" -> Filter.Op.LE;
                case ">" -> Filter.Op.GT;
                default -> Filter.Op.GE;
            };
        }

        private Filter in(Field field) {
            Token open = next();
            if (open.kind != Kind.LPAREN) {
                throw error(open, "expected '(' after in");
            }
            List<Object> values = new ArrayList<>();
            while (true) {
                values.add(value(field, Filter.Op.EQ, next()));
                Token sep = next();
                if (sep.kind == Kind.RPAREN) {
                    return new Filter.In(field, values);
                }
                if (sep.kind != Kind.COMMA) {
                    throw error(sep, "expected ',' or ')' in the list of the in at position " + open.position);
                }
            }
        }

        private Filter like(Field field, Token likeToken) {
            Token v = next();
            if (v.kind != Kind.STRING) {
                throw error(v, "expected a 'pattern' string after " + likeToken.text);
            }
            if (field instanceof Field.Metric || field instanceof Field.Column c && c.type() != Field.Type.TEXT) {
                throw error(likeToken, field.display() + " is not text; like applies to text fields");
            }
            return new Filter.Like(field, (String) v.value, likeToken.kind == Kind.ILIKE);
        }

        /** Checks {@code v} against the field's type and returns the value to bind. */
        private Object value(Field field, Filter.Op op, Token v) {
            Object raw = switch (v.kind) {
                case NUMBER, STRING -> v.value;
                case TRUE -> Boolean.TRUE;
                case FALSE -> Boolean.FALSE;
                default -> throw error(v, "expected a value (a number, a 'string', true or false)");
            };
            boolean ordering = op != Filter.Op.EQ && op != Filter.Op.NE;
            if (raw instanceof Boolean && (ordering || field instanceof Field.Metric
                    || field instanceof Field.Column c && c.type() != Field.Type.TEXT)) {
                throw error(v, "a boolean compares only with = or != on a parameter or a text column");
            }
            if (field instanceof Field.Tag || field instanceof Field.Ensemble) {
                if (!(raw instanceof String)) {
                    throw error(v, field.display() + " is text; compare it with a 'string'");
                }
                return raw;
            }
            if (field instanceof Field.Metric && !(raw instanceof Double)) {
                throw error(v, field.display() + " is a number; compare it with a number");
            }
            if (field instanceof Field.Column c) {
                switch (c.type()) {
                    case NUMBER -> {
                        if (!(raw instanceof Double)) {
                            throw error(v, c.name() + " is a number; compare it with a number");
                        }
                    }
                    case TIME -> {
                        if (!(raw instanceof String str)) {
                            throw error(v, c.name() + " is a time; compare it with a 'date' or 'date-time' string");
                        }
                        return time(v, str);
                    }
                    case TEXT -> {
                        if (raw instanceof Double) {
                            throw error(v, c.name() + " is text; compare it with a 'string'");
                        }
                        if (c.name().equals("status")) {
                            return status(v, raw.toString());
                        }
                        return raw.toString();
                    }
                    default -> throw new IllegalStateException(c.type().name());
                }
            }
            return raw;
        }

        private String status(Token v, String value) {
            String upper = value.toUpperCase(Locale.ROOT);
            try {
                return RunStatus.valueOf(upper).name();
            } catch (IllegalArgumentException e) {
                throw error(v, "unknown status '" + value + "'; statuses are " + Arrays.stream(RunStatus.values())
                        .map(Enum::name).collect(Collectors.joining(", ")));
            }
        }

        private OffsetDateTime time(Token v, String value) {
            try {
                return OffsetDateTime.parse(value);
            } catch (DateTimeParseException e) {
                // try the next form
            }
            try {
                return LocalDateTime.parse(value).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // try the next form
            }
            try {
                return LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw error(v, "not a date or time (use 2024-05-01, 2024-05-01T10:00 or 2024-05-01T10:00:00Z)");
            }
        }
    }
}
