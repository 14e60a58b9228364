package dev.cnnworkbench.web.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.storage.filter.Field;
import dev.cnnworkbench.storage.filter.Filter;
import dev.cnnworkbench.storage.filter.FilterParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** MLflow's run filter, translated into the workbench's filter language, which then parses. */
class MlflowFilterTest {

    private final List<String> lookups = new ArrayList<>();

    private String translate(String filter) {
        String out = MlflowFilter.translate(filter, (key, op, value) -> {
            lookups.add(key + " " + op + " " + value);
            return "team".equals(key) ? Set.of("r2", "r1") : Set.of();
        });
        FilterParser.parse(out); // the translation is always valid workbench filter text
        return out;
    }

    @Test
    void translatesTheCommonFormsJoinedByAnd() {
        assertThat(translate("metrics.val_accuracy > 0.9 AND params.lr = '0.01' and attributes.status = 'FINISHED'"))
                .isEqualTo("metrics.`val_accuracy` > 0.9 and params.`lr` = '0.01' and status in ('FINISHED')");
        assertThat(translate("attributes.status = 'KILLED'")).isEqualTo("status in ('STOPPED', 'INTERRUPTED')");
        assertThat(translate("metrics.\"val acc\" <= 1 and params.`opt type` LIKE 'ad%'"))
                .isEqualTo("metrics.`val acc` <= 1 and params.`opt type` like 'ad%'");
        assertThat(translate("params.optimizer IN ('adam', 'sgd')")).isEqualTo("params.`optimizer` in ('adam', 'sgd')");
        assertThat(translate("attributes.run_name != 'x' and attributes.start_time > 0"))
                .isEqualTo("name != 'x' and started_at > '1970-01-01T00:00:00Z'");
        assertThat(translate("")).isEmpty();
    }

    @Test
    void tagConditionsBecomeTheRunsTheLookupFinds() {
        assertThat(translate("tags.team = 'vision'")).isEqualTo("id in ('r1', 'r2')");
        assertThat(translate("tags.other != 'x'")).isEqualTo("id = ''");
        assertThat(lookups).containsExactly("team = vision", "other != x");
    }

    @Test
    void refusesWhatItCannotTranslateNamingThePosition() {
        assertThatThrownBy(() -> translate("metrics.loss >> 1")).isInstanceOf(MlflowException.class)
                .hasMessageContaining("position 14");
        assertThatThrownBy(() -> translate("datasets.name = 'x'")).hasMessageContaining("unknown entity 'datasets'");
        assertThatThrownBy(() -> translate("metrics.loss = 'high'")).hasMessageContaining("expected a number");
        assertThatThrownBy(() -> translate("params.lr > '1'")).hasMessageContaining("params compare as strings");
        assertThatThrownBy(() -> translate("params.lr = '1' or params.lr = '2'")).hasMessageContaining("expected AND");
    }

    @Property(tries = 200)
    void aParamValueArrivesAsGiven(@ForAll @StringLength(max = 30) String value) {
        String escaped = value.replace("\\", "\\\\").replace("'", "\\'");
        Filter f = FilterParser.parse(MlflowFilter.translate("params.p = '" + escaped + "'", (k, o, v) -> Set.of()));
        assertThat(f).isEqualTo(new Filter.Compare(new Field.Param("p"), Filter.Op.EQ, value));
    }
}
