package dev.cnnworkbench.core.ensemble;

import dev.cnnworkbench.core.bus.EnsembleRecorded;
import dev.cnnworkbench.core.bus.MetricPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an ensemble measured on one test set: each member alone, the whole ensemble, accuracy against the number of
 * members, and McNemar's paired test of the ensemble against its best single member on the same images.
 *
 * @param members           the members' names, in the order they join the ensemble
 * @param memberAccuracy    each member's test accuracy
 * @param memberLoss        each member's mean cross-entropy
 * @param accuracy          the ensemble's accuracy (every member)
 * @param loss              the ensemble's mean cross-entropy
 * @param accuracyByMembers entry {@code m - 1}: the accuracy of the ensemble of the first {@code m} members
 * @param lossByMembers     entry {@code m - 1}: its mean cross-entropy
 * @param bestMember        index of the most accurate member (the first of ties)
 * @param vsBest            the ensemble (first) against the best member (second)
 * @param images            test images scored
 */
public record EnsembleReport(List<String> members, List<Double> memberAccuracy, List<Double> memberLoss,
                             double accuracy, double loss, List<Double> accuracyByMembers, List<Double> lossByMembers,
                             int bestMember, McNemar vsBest, int images) {

    public EnsembleReport {
        members = List.copyOf(members);
        memberAccuracy = List.copyOf(memberAccuracy);
        memberLoss = List.copyOf(memberLoss);
        accuracyByMembers = List.copyOf(accuracyByMembers);
        lossByMembers = List.copyOf(lossByMembers);
    }

    /**
     * Scores the members and every prefix ensemble of them.
     *
     * @param names         member names, in joining order
     * @param probabilities each member's class probabilities on the test images, same order
     * @param labels        the test labels
     */
    public static EnsembleReport of(List<String> names, List<float[][]> probabilities, int[] labels) {
        if (names.size() != probabilities.size() || names.isEmpty()) {
            throw new IllegalArgumentException("need one name per member and at least one member, got " + names.size()
                    + " names for " + probabilities.size() + " members");
        }
        List<Double> accuracy = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        int best = 0;
        for (int m = 0; m < probabilities.size(); m++) {
            accuracy.add(Ensembles.accuracy(probabilities.get(m), labels));
            loss.add(Ensembles.logLoss(probabilities.get(m), labels));
            if (accuracy.get(m) > accuracy.get(best)) {
                best = m;
            }
        }
        List<Double> byMembers = new ArrayList<>();
        List<Double> lossBy = new ArrayList<>();
        float[][] all = null;
        for (int m = 1; m <= probabilities.size(); m++) {
            all = Ensembles.average(probabilities.subList(0, m));
            byMembers.add(Ensembles.accuracy(all, labels));
            lossBy.add(Ensembles.logLoss(all, labels));
        }
        McNemar test = McNemar.test(labels, Ensembles.predictions(all),
                Ensembles.predictions(probabilities.get(best)));
        return new EnsembleReport(names, accuracy, loss, byMembers.get(byMembers.size() - 1),
                lossBy.get(lossBy.size() - 1), byMembers, lossBy, best, test, labels.length);
    }

    /** The ensemble's accuracy minus its best member's. */
    public double gain() {
        return accuracy - memberAccuracy.get(bestMember);
    }

    /**
     * The single-number results, as a run's final metrics: {@code ensemble_test_accuracy},
     * {@code ensemble_test_loss}, {@code ensemble_members}, {@code ensemble_best_member_accuracy},
     * {@code ensemble_gain}, {@code ensemble_mcnemar_p}.
     */
    public Map<String, Double> summary() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("ensemble_test_accuracy", accuracy);
        out.put("ensemble_test_loss", loss);
        out.put("ensemble_members", (double) members.size());
        out.put("ensemble_best_member_accuracy", memberAccuracy.get(bestMember));
        out.put("ensemble_gain", gain());
        out.put("ensemble_mcnemar_p", vsBest.pValue());
        return out;
    }

    /**
     * The {@link #summary()} values as metric points of the run that scored the ensemble, at {@code step}. The
     * per-member and per-m results are not metrics (their "step" would be a count, not an iteration): they travel in
     * the ensemble's record ({@link #record}).
     */
    public List<MetricPoint> toMetrics(long step, int epoch, long time) {
        List<MetricPoint> out = new ArrayList<>();
        summary().forEach((name, value) -> out.add(new MetricPoint(name, step, epoch, time, value)));
        return out;
    }

    /** How the members' predictions are combined ({@link Ensembles#average}). */
    public static final String COMBINATION = "mean-softmax";
    /** The significance test of the ensemble against its best member ({@link McNemar}, exact p-value). */
    public static final String TEST = "mcnemar-exact";

    /**
     * The report as the ensemble's record.
     *
     * @param members one per member of the report, in its order: where each came from (its accuracy and loss are
     *                replaced by the report's)
     */
    public EnsembleRecorded record(String ensembleId, String runId, String name, String kind, String sourceRunId,
                                   String sweepId, List<EnsembleRecorded.Member> members, long time) {
        if (members.size() != this.members.size()) {
            throw new IllegalArgumentException(members.size() + " member sources for " + this.members.size() + " members");
        }
        List<EnsembleRecorded.Member> scored = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            EnsembleRecorded.Member src = members.get(m);
            scored.add(new EnsembleRecorded.Member(src.runId(), src.artifact(), src.sha256(), this.members.get(m),
                    memberAccuracy.get(m), memberLoss.get(m)));
        }
        List<EnsembleRecorded.Prefix> prefixes = new ArrayList<>();
        for (int m = 0; m < accuracyByMembers.size(); m++) {
            prefixes.add(new EnsembleRecorded.Prefix(m + 1, accuracyByMembers.get(m), lossByMembers.get(m)));
        }
        return new EnsembleRecorded(ensembleId, runId, name, kind, sourceRunId, sweepId, COMBINATION, "test", images,
                accuracy, loss, bestMember, TEST, vsBest.onlyFirst(), vsBest.onlySecond(), vsBest.pValue(), scored,
                prefixes, time);
    }
}
