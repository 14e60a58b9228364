package dev.cnnworkbench.cli;

import dev.cnnworkbench.core.sweep.Objective;
import dev.cnnworkbench.core.sweep.SweepFile;
import dev.cnnworkbench.core.sweep.Trial;
import dev.cnnworkbench.core.sweep.TrialRanking;
import dev.cnnworkbench.core.sweep.TrialResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A sweep's results as a plain-text table, best trial first by {@link TrialRanking}: a stopped trial ranks by its
 * last value (its status says STOPPED, its note why); trials that are not usable (failed, NaN, no value) have no rank.
 */
final class SweepTable {

    private SweepTable() {
    }

    static String format(SweepFile file, List<TrialResult> results) {
        Objective objective = file.sweep().objective();
        List<String> params = new ArrayList<>(file.sweep().params().keySet());
        List<String> header = new ArrayList<>(List.of("rank", "trial", "status", objective.metric()));
        header.addAll(params);
        header.add("run");
        header.add("note");
        List<List<String>> rows = new ArrayList<>();
        int rank = 1;
        TrialRanking<TrialResult> ranking = TrialResult.ranking(objective);
        for (TrialResult r : ranking.rank(results)) {
            List<String> row = new ArrayList<>();
            row.add(ranking.usable(r) ? String.valueOf(rank++) : "-");
            row.add(String.valueOf(r.trial().number()));
            row.add(r.status().name());
            row.add(r.objective() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.objective()));
            for (String p : params) {
                row.add(Trial.format(r.trial().values().get(p)));
            }
            row.add(r.runId() == null ? "-" : r.runId());
            row.add(r.reason() == null ? "" : r.reason());
            rows.add(row);
        }
        int[] width = new int[header.size()];
        for (int c = 0; c < header.size(); c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width);
        rows.forEach(row -> line(out, row, width));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            boolean last = c == cells.size() - 1;
            line.append(last ? cells.get(c) : String.format(Locale.ROOT, "%-" + width[c] + "s  ", cells.get(c)));
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
