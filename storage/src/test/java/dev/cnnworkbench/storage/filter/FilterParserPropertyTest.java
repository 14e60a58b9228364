package dev.cnnworkbench.storage.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.storage.FilterException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The filter language under generated input: any text either parses to a filter that compiles to SQL, or fails
 * with a FilterException whose position lies inside the text; never another exception, never a stack overflow.
 */
class FilterParserPropertyTest {

    @Property(tries = 3000)
    void aTokenSoupParsesOrFailsAtAPosition(@ForAll("soups") String filter) {
        check(filter);
    }

    @Property(tries = 2000)
    void anyCharactersParseOrFailAtAPosition(@ForAll("characters") String filter) {
        check(filter);
    }

    /** Openers, the offsets of their tokens (each one level deeper), and the closing text each needs. */
    private static final String[] OPENERS = {"(", "not ", "NOT(", "not not "};
    private static final int[][] LEVEL_OFFSETS = {{0}, {0}, {0, 3}, {0, 4}};
    private static final String[] CLOSERS = {")", "", ")", ""};

    @Property(tries = 60)
    void deepNestingFailsAtTheTokenPastTheLimit(@ForAll @IntRange(min = 1, max = 20_000) int depth,
                                                @ForAll @IntRange(min = 0, max = 3) int kind) {
        String filter = OPENERS[kind].repeat(depth) + "status = 'FAILED'" + CLOSERS[kind].repeat(depth);
        int[] offsets = LEVEL_OFFSETS[kind];
        if (depth * offsets.length <= FilterParser.MAX_NESTING) {
            assertThat(FilterParser.parse(filter)).isNotNull();
            return;
        }
        FilterException e = check(filter);
        assertThat(e).isNotNull();
        int level = FilterParser.MAX_NESTING; // 0-based: the first level past the limit
        assertThat(e.position()).isEqualTo(level / offsets.length * OPENERS[kind].length() + offsets[level % offsets.length]);
        assertThat(e.getMessage()).contains("deeper than " + FilterParser.MAX_NESTING);
    }

    @Property(tries = 40)
    void longChainsFailPastTheConditionLimitAndCompileBelowIt(@ForAll @IntRange(min = 1, max = 20_000) int n,
                                                              @ForAll("joiners") String joiner) {
        String filter = String.join(joiner, java.util.Collections.nCopies(n, "params.x = 1"));
        FilterException e = check(filter);
        assertThat(e == null).isEqualTo(n <= FilterParser.MAX_CONDITIONS);
        if (e != null) {
            assertThat(e.getMessage()).contains("more than " + FilterParser.MAX_CONDITIONS + " conditions");
        }
    }

    /** Parses and compiles {@code filter}; returns its FilterException, or null when it parsed. */
    private static FilterException check(String filter) {
        try {
            FilterSql.where(FilterParser.parse(filter));
            return null;
        } catch (FilterException e) {
            assertThat(e.position()).isBetween(0, filter.length());
            assertThat(e.filter()).isEqualTo(filter);
            assertThat(e.pointer()).contains("^");
            return e;
        }
    }

    @Provide
    Arbitrary<String> soups() {
        Arbitrary<String> token = Arbitraries.of("(", ")", "not", "NOT", "and", "or", "Or", "in", "like", "ilike", "is",
                "null", "true", "false", "=", "==", "!=", "<>", "<", "<=", ">", ">=", "!", ",", "'x'", "'it''s'", "\"q\"",
                "'", "\"", "`", "`a b`", "1", "-1.5e-3", "1e", "0.1x", "NaN", "-Infinity", "+", "-", ".", "status",
                "'FAILED'", "'nope'", "name", "started_at", "'2024-05-01'", "'2024-13-01'", "duration", "tag", "tags",
                "params.optimizer.lr", "params.", "metrics.val_accuracy", "metrics.", "params.`x'); DROP TABLE runs; --`",
                "unknown", ";", "--", "/*", "*/", "$$", "\\", "%", "_", "[0]", "é", "\u0000", "\t", "\n");
        // every third soup without spaces, so that tokens run into one another
        return token.list().ofMaxSize(30).map(l -> String.join(l.size() % 3 == 0 ? "" : " ", l));
    }

    @Provide
    Arbitrary<String> characters() {
        return Arbitraries.strings().withChars("()'\"`=<>!,.-+_ abcdeilnorstuxyzNOTIL0123456789e[]/\\%$;\t").ofMaxLength(60);
    }

    @Provide
    Arbitrary<String> joiners() {
        return Arbitraries.of(" and ", " or ", " AND not ");
    }
}
