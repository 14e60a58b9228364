package dev.cnnworkbench.storage.filter;

import java.util.List;

/**
 * A parsed run filter: a small boolean expression over conditions on {@link Field}s. Produced by
 * {@link FilterParser}, which has already checked every value against its field's type, so a
 * {@code Filter} always compiles to SQL. Values are {@code Double}, {@code String}, {@code Boolean} or,
 * for time columns, {@code java.time.OffsetDateTime}.
 */
public sealed interface Filter {

    /** Comparison operators with their SQL spelling. */
    enum Op {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        public String sql() {
            return sql;
        }
    }

    record And(Filter left, Filter right) implements Filter {
    }

    record Or(Filter left, Filter right) implements Filter {
    }

    record Not(Filter inner) implements Filter {
    }

    /** {@code field op value}; false where the run has no such parameter or metric. */
    record Compare(Field field, Op op, Object value) implements Filter {
    }

    /** {@code field IN (v1, v2, ...)}. */
    record In(Field field, List<Object> values) implements Filter {
        public In {
            values = List.copyOf(values);
        }
    }

    /** {@code field LIKE pattern} ({@code %} any text, {@code _} one character, {@code \} escapes). */
    record Like(Field field, String pattern, boolean ignoreCase) implements Filter {
    }

    /** {@code field IS NULL}: the column is empty, or the run has no such parameter or metric. */
    record IsNull(Field field) implements Filter {
    }
}
