package dev.cnnworkbench.core.bus;

import java.util.List;
import java.util.Objects;

/**
 * An ensemble was scored: its members, how their predictions were combined, what each member and each prefix of
 * the members scored, and the paired test against the best member. Published by the run that scored it (a
 * snapshot-ensemble training run, or {@code workbench ensemble}) before that run's end.
 *
 * @param ensembleId  unique id
 * @param runId       the run that scored and recorded it
 * @param name        a name for people
 * @param kind        {@code snapshot} (the snapshots of one run) or {@code independent} (several runs)
 * @param sourceRunId for a snapshot ensemble, the run whose snapshots are the members; else {@code null}
 * @param sweepId     the sweep the members were picked from, or {@code null}
 * @param combination how predictions are combined, e.g. {@code mean-softmax}
 * @param split       the split scored, e.g. {@code test}
 * @param examples    images scored
 * @param accuracy    the whole ensemble's accuracy
 * @param loss        its mean cross-entropy
 * @param bestMember  0-based position of the most accurate member
 * @param test        the significance test's name, e.g. {@code mcnemar-exact}
 * @param onlyEnsemble images only the ensemble got right (the test's discordant pair)
 * @param onlyBest    images only the best member got right
 * @param pValue      the test's p-value
 * @param members     the members in joining order
 * @param byMembers   entry {@code m - 1}: the ensemble of the first {@code m} members
 * @param time        epoch milliseconds
 */
public record EnsembleRecorded(String ensembleId, String runId, String name, String kind, String sourceRunId,
                               String sweepId, String combination, String split, int examples, double accuracy,
                               double loss, int bestMember, String test, int onlyEnsemble, int onlyBest,
                               double pValue, List<Member> members, List<Prefix> byMembers, long time) {

    /**
     * A member: a run's final network, or a snapshot file.
     *
     * @param runId    the run it comes from
     * @param artifact the snapshot's artifact path ({@code RUN_ID/snapshot-01.zip}), or {@code null} for a run's final network
     * @param sha256   the network file's SHA-256, or {@code null} when unknown
     * @param label    a name for people
     */
    public record Member(String runId, String artifact, String sha256, String label, double accuracy, double loss) {
    }

    /** The ensemble of the first {@code members} members. */
    public record Prefix(int members, double accuracy, double loss) {
    }

    public EnsembleRecorded {
        Objects.requireNonNull(ensembleId, "ensembleId");
        Objects.requireNonNull(runId, "runId");
        members = List.copyOf(members);
        byMembers = List.copyOf(byMembers);
    }

    /** The best member's accuracy. */
    public double bestMemberAccuracy() {
        return members.get(bestMember).accuracy();
    }
}
