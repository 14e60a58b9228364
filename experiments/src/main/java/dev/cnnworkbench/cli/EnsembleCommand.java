package dev.cnnworkbench.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.HomeStore;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.cli.home.StoredSpecs;
import dev.cnnworkbench.cli.home.TeamRunFiles;
import dev.cnnworkbench.cli.work.SweepRuns;
import dev.cnnworkbench.core.artifact.NetworkFiles;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.Addresses;
import dev.cnnworkbench.core.bus.EnsembleRecorded;
import dev.cnnworkbench.core.bus.MetricBatch;
import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.data.Normalization;
import dev.cnnworkbench.core.engine.BusSink;
import dev.cnnworkbench.core.engine.DataSplit;
import dev.cnnworkbench.core.engine.Provenance;
import dev.cnnworkbench.core.engine.TrackedRun;
import dev.cnnworkbench.core.ensemble.EnsembleReport;
import dev.cnnworkbench.core.ensemble.MemberScoring;
import dev.cnnworkbench.core.ensemble.SnapshotEnsemble;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.core.spec.DataSpec;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.sweep.Objective;
import dev.cnnworkbench.core.sweep.SweepFile;
import dev.cnnworkbench.core.sweep.SweepResume;
import dev.cnnworkbench.core.sweep.TrialRanking;
import dev.cnnworkbench.core.sweep.TrialResult;
import dev.cnnworkbench.storage.StoreClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code workbench ensemble}: scores an ensemble of saved networks on their common test set and records it as a run
 * (experiment {@code ensembles} unless every member shares one), with each member's accuracy, the ensemble's,
 * accuracy against the number of members and McNemar's test against the best member.
 */
@Command(name = "ensemble", mixinStandardHelpOptions = true,
        description = {"Evaluate an ensemble (averaged softmax probabilities) of saved networks and record it.",
            "Members: the final networks of RUN_IDs, the top K trials of a sweep (--sweep SPEC --top K), or the"
                    + " snapshots of one run (--snapshots RUN_ID), read from HOME/artifacts/<run>/."})
final class EnsembleCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Parameters(paramLabel = "RUN_ID", arity = "0..*", description = "runs whose final networks (model.zip) are members")
    List<String> runs = new ArrayList<>();

    @Option(names = "--snapshots", paramLabel = "RUN_ID", description = "the snapshots of this run are the members")
    String snapshotsOf;

    @Option(names = "--sweep", paramLabel = "SPEC", description = "the best trials of this sweep are the members")
    Path sweep;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "with --sweep: how many trials (default 5)")
    int top;

    @Option(names = "--name", paramLabel = "NAME", description = "the recorded run's name")
    String name;

    @Option(names = "--no-record", negatable = false, description = "print the result only")
    boolean noRecord;

    @Mixin
    HomeOptions home;

    /** Each member run's recorded normalisation, by run id. */
    private final Map<String, Normalization> normalizations = new java.util.HashMap<>();

    /** The sweep the members were picked from ({@code --sweep}), else {@code null}. */
    private String sweepId;

    /** A member: its name, its network file, and the run it came from. */
    record Member(String name, Path file, String runId) {
    }

    @Override
    public Integer call() throws Exception {
        long began = System.currentTimeMillis(); // the ensemble run lasts from here: loading and scoring the members
        int sources = (runs.isEmpty() ? 0 : 1) + (snapshotsOf == null ? 0 : 1) + (sweep == null ? 0 : 1);
        if (sources != 1) {
            throw new CommandLine.ParameterException(command.commandLine(),
                    "name the members one way: RUN_ID..., --snapshots RUN_ID, or --sweep SPEC --top K");
        }
        List<Member> members;
        ExperimentSpec spec;
        String experiment;
        try (HomeStore opened = HomeStore.open(home)) {
            StoreClient queries = opened.store();
            members = members(queries, opened);
            List<ExperimentSpec> specs = new ArrayList<>();
            for (String id : members.stream().map(Member::runId).distinct().toList()) {
                specs.add(StoredSpecs.of(queries, id));
            }
            spec = specs.get(0);
            for (ExperimentSpec other : specs) {
                if (!sameTestSet(spec.data(), other.data())) {
                    throw new IllegalArgumentException("members are tested on different data: " + spec.data() + " and "
                            + other.data() + "; an ensemble needs one test set");
                }
            }
            List<String> experiments = specs.stream().map(ExperimentSpec::experiment).distinct().toList();
            experiment = experiments.size() == 1 ? experiments.get(0) : "ensembles";
            for (String id : members.stream().map(Member::runId).distinct().toList()) {
                normalizations.put(id, recordedNormalization(queries, id));
            }
        }
        System.err.println("loading the test set of " + spec.data().dataset() + " from " + spec.data().path());
        // unnormalised: each member reads it through the normalisation its own run recorded
        ImageSet test = DataSplit.of(spec, null, RunArtifacts.root(home.home())).test()
                .normalized(Normalization.NONE);
        // Loading the plugins lets the members' configurations name the classes their jars define.
        home.plugins();
        List<MemberScoring.Member> scored = members.stream().map(m -> new MemberScoring.Member(
                m.name() + " (" + m.file() + ")", () -> NetworkFiles.read(m.file()),
                test.normalized(normalizations.get(m.runId())))).toList();
        List<float[][]> probabilities = MemberScoring.probabilities(scored, SnapshotEnsemble.BATCH,
                name -> System.err.println("scoring " + name));
        EnsembleReport report = EnsembleReport.of(members.stream().map(Member::name).toList(), probabilities,
                test.labels());
        print(report);
        if (!noRecord) {
            record(report, members, experiment, began);
        }
        return 0;
    }

    /**
     * The normalisation run {@code runId} recorded in its provenance ({@code data.mean}, {@code data.std}): what its
     * networks take their inputs through.
     */
    private static Normalization recordedNormalization(StoreClient queries, String runId) {
        String json = queries.specAndProvenance(runId).get("provenance");
        Map<String, String> provenance = new LinkedHashMap<>();
        if (json != null) {
            new io.vertx.core.json.JsonObject(json).forEach(e -> provenance.put(e.getKey(), String.valueOf(e.getValue())));
        }
        try {
            return Normalization.fromProvenance(provenance);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("run " + runId + ": " + e.getMessage(), e);
        }
    }

    private List<Member> members(StoreClient queries, HomeStore opened) {
        List<Member> out = new ArrayList<>();
        if (snapshotsOf != null) {
            TeamRunFiles.fetch(home, opened, snapshotsOf, TeamRunFiles.Wanted.SNAPSHOTS);
            List<Path> files = RunArtifacts.snapshots(RunArtifacts.dir(home.home(), snapshotsOf));
            if (files.isEmpty()) {
                throw new IllegalArgumentException("run " + snapshotsOf + " has no saved snapshots under "
                        + RunArtifacts.dir(home.home(), snapshotsOf) + " (train it with an \"ensemble\" section)");
            }
            // the last snapshot first, so entry m of the accuracy curve is the ensemble of the last m snapshots
            for (int i = files.size() - 1; i >= 0; i--) {
                out.add(new Member(snapshotsOf + "/" + files.get(i).getFileName(), files.get(i), snapshotsOf));
            }
            return out;
        }
        List<String> ids = runs;
        if (sweep != null) {
            SweepFile file = SweepFile.load(sweep, List.of());
            sweepId = file.id();
            List<TrialResult> results = SweepResume.state(file, SweepRuns.past(queries, file, false))
                    .results(file.trials(), file.sweep().objective());
            Picked picked = bestTrials(results, file.sweep().objective(), top,
                    id -> Files.isRegularFile(RunArtifacts.model(RunArtifacts.dir(home.home(), id))));
            if (picked.note() != null) {
                System.err.println("sweep " + file.id() + ": " + picked.note());
            }
            ids = picked.runIds();
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("sweep " + file.id() + " has no finished or stopped trial with a value"
                        + " of " + file.sweep().objective().metric() + " and a saved network in the store");
            }
        }
        for (String id : ids) {
            TeamRunFiles.fetch(home, opened, id, TeamRunFiles.Wanted.MODEL);
            Path model = RunArtifacts.model(RunArtifacts.dir(home.home(), id));
            if (!Files.isRegularFile(model)) {
                throw new IllegalArgumentException("run " + id + " has no saved network at " + model);
            }
            out.add(new Member(id, model, id));
        }
        return out;
    }

    /** The members picked from a sweep, and what to tell when they are fewer than asked. */
    record Picked(List<String> runIds, String note) {
    }

    /**
     * The best {@code top} usable trials of a sweep by {@link TrialRanking} (stopped trials by their last value),
     * those without a saved network skipped; {@code note} says how many were found when fewer than asked.
     */
    static Picked bestTrials(List<TrialResult> results, Objective objective, int top, Predicate<String> hasNetwork) {
        TrialRanking<TrialResult> ranking = TrialResult.ranking(objective);
        List<TrialResult> usable = ranking.rank(results).stream().filter(ranking::usable).toList();
        List<String> ids = usable.stream().map(TrialResult::runId).filter(hasNetwork).limit(top).toList();
        if (ids.size() >= top) {
            return new Picked(ids, null);
        }
        long noNetwork = usable.stream().map(TrialResult::runId).filter(hasNetwork.negate()).count();
        return new Picked(ids, "found " + ids.size() + " usable trial(s) with a saved network for the " + top
                + " asked for (" + usable.size() + " finished or stopped with a finite " + objective.metric() + ", "
                + noNetwork + " of them without a saved network; " + (results.size() - usable.size())
                + " failed, interrupted, running or without a value)");
    }

    private static boolean sameTestSet(DataSpec a, DataSpec b) {
        return a.dataset().equals(b.dataset()) && a.path().equals(b.path()) && a.testLimit() == b.testLimit()
                && a.classes().equals(b.classes());
    }

    private static void print(EnsembleReport r) {
        System.out.printf(Locale.ROOT, "%-40s %9s %9s%n", "member", "accuracy", "loss");
        for (int m = 0; m < r.members().size(); m++) {
            System.out.printf(Locale.ROOT, "%-40s %9.4f %9.4f%s%n", r.members().get(m), r.memberAccuracy().get(m),
                    r.memberLoss().get(m), m == r.bestMember() ? "  (best)" : "");
        }
        System.out.printf(Locale.ROOT, "%-40s %9.4f %9.4f%n", "ensemble of " + r.members().size(), r.accuracy(), r.loss());
        StringBuilder curve = new StringBuilder("accuracy by members:");
        for (int m = 0; m < r.accuracyByMembers().size(); m++) {
            curve.append(String.format(Locale.ROOT, " %d:%.4f", m + 1, r.accuracyByMembers().get(m)));
        }
        System.out.println(curve);
        System.out.printf(Locale.ROOT, "ensemble vs best member: %+.4f on %d images; McNemar: %d only-ensemble right,"
                        + " %d only-member right, exact p = %.4g%s%n", r.gain(), r.images(), r.vsBest().onlyFirst(),
                r.vsBest().onlySecond(), r.vsBest().pValue(), r.vsBest().significant(0.05) ? " (significant at 0.05)" : "");
    }

    /**
     * Publishes the ensemble as a run of its own (started, its summary metrics, finished) and, before its end, the
     * ensemble's record: members with their network files' SHA-256, results by number of members, the test.
     */
    private void record(EnsembleReport report, List<Member> members, String experiment, long began) throws Exception {
        String type = snapshotsOf != null ? "snapshot" : "independent";
        ObjectNode spec = JsonNodeFactory.instance.objectNode();
        ObjectNode e = spec.putObject("ensemble");
        e.put("type", type);
        members.forEach(m -> e.withArray("members").add(m.runId() + (snapshotsOf != null ? "/" + m.file().getFileName() : "")));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("ensemble.type", type);
        params.put("ensemble.size", members.size());
        params.put("ensemble.members", e.get("members").toString());
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("workbench.version", Provenance.workbenchVersion());
        provenance.put("java.version", System.getProperty("java.version"));
        provenance.put("host", Host.name());
        String runName = name != null ? name : "ensemble-" + type + "-" + members.size();
        try (LocalStack stack = LocalStack.start(home)) {
            String runId = TrackedRun.newId();
            long now = System.currentTimeMillis();
            stack.bus().publish(Addresses.RUN_STARTED, new RunStarted(runId, runName, experiment, spec.toPrettyString(),
                    params, provenance, began, ProcessHandle.current().pid(), Host.name(), Host.user()));
            stack.bus().publish(Addresses.METRICS, new MetricBatch(runId, report.toMetrics(0, 0, now)));
            List<EnsembleRecorded.Member> sources = new ArrayList<>();
            for (Member m : members) {
                sources.add(new EnsembleRecorded.Member(m.runId(), snapshotsOf == null ? null
                        : m.runId() + "/" + m.file().getFileName(), BusSink.sha256(m.file()), m.name(), 0, 0));
            }
            stack.bus().publish(Addresses.ENSEMBLE_RECORDED, report.record(TrackedRun.newId(), runId, runName, type,
                    snapshotsOf, sweepId, sources, now));
            stack.bus().publish(Addresses.RUN_ENDED, new RunEnded(runId, RunStatus.FINISHED, null,
                    System.currentTimeMillis()));
            stack.flush(Duration.ofSeconds(60));
            System.out.println("recorded as run " + runId + " (" + runName + ", experiment " + experiment + ") in "
                    + stack.databaseUrl());
        }
    }
}
