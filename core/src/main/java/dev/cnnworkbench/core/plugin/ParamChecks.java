package dev.cnnworkbench.core.plugin;

import dev.cnnworkbench.core.spec.SpecError;
import java.util.ArrayList;
import java.util.List;

/** Type and range checks of one parameter value against its {@link ParamSpec}. */
final class ParamChecks {

    private ParamChecks() {
    }

    /** Returns the value in its canonical Java form, or {@code null} after adding an error. */
    static Object check(ParamSpec p, Object value, String at, List<SpecError> errors) {
        return switch (p.type()) {
            case INT -> inRange(p, asInt(value, at, errors), at, errors);
            case NUMBER -> inRange(p, asNumber(value, at, errors), at, errors);
            case BOOLEAN -> value instanceof Boolean b ? b : fail(at, "must be true or false, got " + show(value), errors);
            case STRING -> asChoice(p, value, at, errors);
            case INT_PAIR -> asPair(p, value, at, errors);
            case INT_LIST -> asList(p, value, at, errors, true);
            case NUMBER_LIST -> asList(p, value, at, errors, false);
        };
    }

    private static Integer asInt(Object value, String at, List<SpecError> errors) {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        return fail(at, "must be a whole number, got " + show(value), errors);
    }

    private static Double asNumber(Object value, String at, List<SpecError> errors) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        return fail(at, "must be a number, got " + show(value), errors);
    }

    private static <T extends Number> T inRange(ParamSpec p, T n, String at, List<SpecError> errors) {
        if (n == null) {
            return null;
        }
        double v = n.doubleValue();
        if (p.min() != null && v < p.min()) {
            return fail(at, "must be >= " + trim(p.min()) + ", got " + show(n), errors);
        }
        if (p.max() != null && v > p.max()) {
            return fail(at, "must be <= " + trim(p.max()) + ", got " + show(n), errors);
        }
        return n;
    }

    private static String asChoice(ParamSpec p, Object value, String at, List<SpecError> errors) {
        if (!(value instanceof String s)) {
            return fail(at, "must be a string, got " + show(value), errors);
        }
        if (!p.choices().isEmpty() && !p.choices().contains(s)) {
            return fail(at, "must be one of " + String.join(", ", p.choices()) + ", got " + show(value), errors);
        }
        return s;
    }

    private static Object asPair(ParamSpec p, Object value, String at, List<SpecError> errors) {
        if (value instanceof String word) {
            if (p.choices().contains(word)) {
                return word;
            }
            return fail(at, "must be a whole number, a pair [height, width]"
                    + (p.choices().isEmpty() ? "" : " or one of " + String.join(", ", p.choices()))
                    + ", got " + show(value), errors);
        }
        if (!(value instanceof List<?>)) {
            Integer single = inRange(p, asInt(value, at, errors), at, errors);
            return single == null ? null : List.of(single, single);
        }
        List<?> raw = (List<?>) value;
        if (raw.size() != 2) {
            return fail(at, "must be a whole number or a pair [height, width], got " + show(value), errors);
        }
        return asList(p, raw, at, errors, true);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> asList(ParamSpec p, Object value, String at, List<SpecError> errors, boolean ints) {
        if (!(value instanceof List<?> list)) {
            return fail(at, "must be a list of " + (ints ? "whole numbers" : "numbers") + ", got " + show(value), errors);
        }
        List<Object> out = new ArrayList<>();
        int before = errors.size();
        for (int i = 0; i < list.size(); i++) {
            String itemAt = at + "[" + i + "]";
            if (ints) {
                out.add(inRange(p, asInt(list.get(i), itemAt, errors), itemAt, errors));
            } else {
                out.add(inRange(p, asNumber(list.get(i), itemAt, errors), itemAt, errors));
            }
        }
        return errors.size() == before ? (List<T>) List.copyOf(out) : null;
    }

    private static <T> T fail(String at, String message, List<SpecError> errors) {
        errors.add(new SpecError(at, message));
        return null;
    }

    static String show(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
