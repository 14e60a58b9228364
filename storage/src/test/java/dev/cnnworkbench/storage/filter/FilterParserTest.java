package dev.cnnworkbench.storage.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.storage.FilterException;
import java.time.OffsetDateTime;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class FilterParserTest {

    private static final Field LR = new Field.Param("optimizer.lr");
    private static final Field ACC = new Field.Metric("val_accuracy");

    @Test
    void parsesAndBeforeOr() {
        Filter f = FilterParser.parse("params.optimizer.lr < 0.01 or metrics.val_accuracy > 0.9 and status = 'failed'");
        assertThat(f).isEqualTo(new Filter.Or(
                new Filter.Compare(LR, Filter.Op.LT, 0.01),
                new Filter.And(new Filter.Compare(ACC, Filter.Op.GT, 0.9),
                        new Filter.Compare(Field.COLUMNS.get("status"), Filter.Op.EQ, "FAILED"))));
    }

    @Test
    void parsesParenthesesNotInLikeAndIsNull() {
        Filter f = FilterParser.parse("NOT (experiment IN ('a', 'b') Or name LIKE 'x%') and error is not null");
        assertThat(f).isEqualTo(new Filter.And(
                new Filter.Not(new Filter.Or(
                        new Filter.In(Field.COLUMNS.get("experiment"), List.of("a", "b")),
                        new Filter.Like(Field.COLUMNS.get("name"), "x%", false))),
                new Filter.Not(new Filter.IsNull(Field.COLUMNS.get("error")))));
    }

    @Test
    void treatsAnEmptyFilterAsEveryRun() {
        assertThat(FilterParser.parse("")).isNull();
        assertThat(FilterParser.parse("   ")).isNull();
        assertThat(FilterParser.parse(null)).isNull();
    }

    @Test
    void readsNumbersInEveryForm() {
        assertThat(value("params.x = -1.5e-3")).isEqualTo(-1.5e-3);
        assertThat(value("params.x=.5")).isEqualTo(0.5);
        assertThat(value("params.x>-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(value("metrics.loss = nan")).isEqualTo(Double.NaN);
        assertThat(value("params.x != \"it's\"")).isEqualTo("it's");
        assertThat(value("params.x = 'say ''hi'''")).isEqualTo("say 'hi'");
        assertThat(value("started_at > '2024-05-01T10:00:00+02:00'"))
                .isEqualTo(OffsetDateTime.parse("2024-05-01T10:00:00+02:00"));
    }

    private static Object value(String filter) {
        return ((Filter.Compare) FilterParser.parse(filter)).value();
    }

    @Test
    void readsParameterNamesWithIndexesSlashesAndQuotes() {
        assertThat(((Filter.Compare) FilterParser.parse("params.model.layers[0].filters >= 6")).field())
                .isEqualTo(new Field.Param("model.layers[0].filters"));
        assertThat(((Filter.Compare) FilterParser.parse("metrics.grad_norm/conv-1 < 1")).field())
                .isEqualTo(new Field.Metric("grad_norm/conv-1"));
        assertThat(((Filter.Compare) FilterParser.parse("metrics.`odd name (x)` < 1")).field())
                .isEqualTo(new Field.Metric("odd name (x)"));
    }

    @Test
    void rejectsFilterWithDanglingOperatorAtPosition() {
        FilterException e = error(() -> FilterParser.parse("params.optimizer.lr <"));
        assertThat(e.position()).isEqualTo(21);
        assertThat(e.token()).isEmpty();
        assertThat(e.getMessage()).contains("expected a value").contains("position 21").contains("end of filter");
        assertThat(e.pointer()).isEqualTo("params.optimizer.lr <\n                     ^");
    }

    @Test
    void rejectsDanglingAndWithItsPosition() {
        FilterException e = error(() -> FilterParser.parse("status = 'FAILED' and and name = 'x'"));
        assertThat(e.position()).isEqualTo(22);
        assertThat(e.token()).isEqualTo("and");
        assertThat(e.getMessage()).contains("expected a field");
    }

    @Test
    void rejectsUnknownFieldNamingTheKnownOnes() {
        FilterException e = error(() -> FilterParser.parse("name = 'a' or stauts = 'FAILED'"));
        assertThat(e.position()).isEqualTo(14);
        assertThat(e.token()).isEqualTo("stauts");
        assertThat(e.getMessage()).contains("unknown field 'stauts'").contains("experiment").contains("params.NAME");
    }

    @Test
    void rejectsUnterminatedStringAtItsOpeningQuote() {
        FilterException e = error(() -> FilterParser.parse("name = 'abc"));
        assertThat(e.position()).isEqualTo(7);
        assertThat(e.getMessage()).contains("unterminated string");
    }

    @Test
    void rejectsUnclosedAndUnmatchedParentheses() {
        FilterException open = error(() -> FilterParser.parse("(name = 'a' or name = 'b'"));
        assertThat(open.position()).isEqualTo(25);
        assertThat(open.getMessage()).contains("expected ')'").contains("position 0");
        FilterException close = error(() -> FilterParser.parse("name = 'a')"));
        assertThat(close.position()).isEqualTo(10);
        assertThat(close.getMessage()).contains("unmatched ')'");
    }

    @Test
    void rejectsTokensAfterACompleteFilter() {
        FilterException e = error(() -> FilterParser.parse("name = 'a' name = 'b'"));
        assertThat(e.position()).isEqualTo(11);
        assertThat(e.getMessage()).contains("expected and, or");
    }

    @Test
    void rejectsValuesOfTheWrongType() {
        assertThat(error(() -> FilterParser.parse("name = 3")).getMessage()).contains("name is text");
        assertThat(error(() -> FilterParser.parse("metrics.acc > 'high'")).position()).isEqualTo(14);
        assertThat(error(() -> FilterParser.parse("duration > '1h'")).getMessage()).contains("duration is a number");
        assertThat(error(() -> FilterParser.parse("started_at > 'yesterday'")).getMessage()).contains("not a date");
        assertThat(error(() -> FilterParser.parse("params.x < true")).getMessage()).contains("boolean");
        assertThat(error(() -> FilterParser.parse("metrics.acc like '0.9%'")).getMessage()).contains("not text");
        assertThat(error(() -> FilterParser.parse("status = 'DONE'")).getMessage()).contains("unknown status 'DONE'")
                .contains("FINISHED");
    }

    @Test
    void rejectsMalformedNumbersAndStrayCharacters() {
        FilterException number = error(() -> FilterParser.parse("params.x < 1e"));
        assertThat(number.position()).isEqualTo(11);
        assertThat(number.token()).isEqualTo("1e");
        FilterException stray = error(() -> FilterParser.parse("params.x ; 1"));
        assertThat(stray.position()).isEqualTo(9);
        assertThat(stray.token()).isEqualTo(";");
        assertThat(error(() -> FilterParser.parse("params.x ! 1")).getMessage()).contains("'!='");
    }

    @Test
    void rejectsMalformedInLists() {
        assertThat(error(() -> FilterParser.parse("id in 'a'")).getMessage()).contains("expected '(' after in");
        FilterException e = error(() -> FilterParser.parse("id in ('a' 'b')"));
        assertThat(e.position()).isEqualTo(11);
        assertThat(e.getMessage()).contains("expected ',' or ')'");
        assertThat(error(() -> FilterParser.parse("id in ()")).position()).isEqualTo(7);
    }

    @Test
    void parsesSortKeysAndRejectsBadOnes() {
        assertThat(FilterParser.parseField("metrics.val_accuracy")).isEqualTo(ACC);
        assertThat(FilterParser.parseField(" started_at ")).isEqualTo(Field.COLUMNS.get("started_at"));
        assertThat(error(() -> FilterParser.parseField("name desc")).position()).isEqualTo(5);
        assertThat(error(() -> FilterParser.parseField("")).getMessage()).contains("expected a field");
    }

    private static FilterException error(ThrowingCallable call) {
        Throwable[] caught = new Throwable[1];
        assertThatThrownBy(call).isInstanceOf(FilterException.class).satisfies(t -> caught[0] = t);
        return (FilterException) caught[0];
    }
}
