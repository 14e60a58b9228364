package dev.cnnworkbench.cli.bench;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The crash soak: a training run killed with SIGKILL again and again, each time continued with {@code workbench resume},
 * against the same spec trained once without interruption. Every process is a real workbench in a child JVM
 * ({@link WorkbenchProcess}) on its own home (embedded database, artifacts).
 *
 * <p>A cycle waits for the process to write a new epoch checkpoint (so every cycle makes progress), then kills it
 * after a seeded random delay: odd cycles within 20 ms of the checkpoint (the epoch just committed), even cycles
 * anywhere in the next epoch (mid-batch, during validation, while a checkpoint is written). After each kill it reads
 * what the store kept (the acknowledged points); after the next process, every one of those must still be there (a
 * re-trained step replaces its point). At the end the run must be {@code FINISHED}, every point of the uninterrupted
 * run must be there with the same value (timings aside), and the final network and the last checkpoint (parameters
 * and optimizer state) must be byte for byte the uninterrupted run's.
 */
public final class CrashSoak {

    /** Metrics that measure time, not the network: their values differ between any two runs. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    /**
     * @param spec    the spec file
     * @param sets    {@code path=value} overrides, as {@code --set} takes them (the epochs must exceed the cycles)
     * @param cycles  kills, {@code >= 1}
     * @param seed    of the kill moments
     * @param workDir where the two homes go (created)
     * @param out     where each cycle is reported, or {@code null}
     */
    public record Settings(Path spec, List<String> sets, int cycles, long seed, Path workDir, PrintStream out) {

        public Settings {
            if (cycles < 1) {
                throw new IllegalArgumentException("cycles must be >= 1, got " + cycles);
            }
            sets = List.copyOf(sets);
        }
    }

    /**
     * One kill.
     *
     * @param command      {@code run} or {@code resume}
     * @param checkpoint   the newest epoch checkpoint when it was killed
     * @param delayMillis  how long after that checkpoint appeared
     * @param pointsKept   the points the store had after the kill (acknowledged before it)
     * @param lost         of those, how many the next process's end no longer had
     */
    public record Cycle(int number, String command, int checkpoint, long delayMillis, long pointsKept, long lost) {
    }

    /**
     * @param differing points whose value differs from the uninterrupted run's at the same step (timings aside)
     * @param missing   points of the uninterrupted run the soaked run lacks
     */
    public record Report(String referenceRun, String soakRun, List<Cycle> cycles, RunStatus status, long points,
                         long lost, long missing, long differing, String referenceParameters,
                         String soakParameters, boolean checkpointsEqual) {

        public long kills() {
            return cycles.size();
        }

        public boolean parametersEqual() {
            return referenceParameters.equals(soakParameters);
        }
    }

    private final Settings settings;
    private final Random random;

    private CrashSoak(Settings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    public static Report run(Settings settings) throws InterruptedException {
        return new CrashSoak(settings).soak();
    }

    private Report soak() throws InterruptedException {
        Path refHome = settings.workDir().resolve("uninterrupted");
        Path home = settings.workDir().resolve("killed");
        long started = System.nanoTime();
        List<Long> checkpointTimes = new ArrayList<>();
        try (WorkbenchProcess reference = WorkbenchProcess.start(runArgs(refHome))) {
            CheckpointWatch watch = new CheckpointWatch(refHome);
            while (reference.isAlive()) {
                if (watch.newest() > checkpointTimes.size()) {
                    checkpointTimes.add(System.nanoTime());
                }
                Thread.sleep(5);
            }
            expectExit(reference, 0, "the uninterrupted run");
        }
        long epochMillis = epochMillis(checkpointTimes);
        String refRun = onlyRun(refHome).id();
        Map<String, Double> refPoints = points(refHome, refRun);
        say("uninterrupted run %s: %d points, %.1f s, about %d ms per epoch", refRun, refPoints.size(),
                (System.nanoTime() - started) / 1e9, epochMillis);

        List<Cycle> cycles = new ArrayList<>();
        String runId = null;
        Map<String, Double> acknowledged = Map.of();
        WorkbenchProcess process = WorkbenchProcess.start(runArgs(home));
        try {
            for (int c = 1; c <= settings.cycles(); c++) {
                CheckpointWatch watch = new CheckpointWatch(home);
                int base = watch.newest();
                while (process.isAlive() && watch.newest() <= base) {
                    Thread.sleep(2);
                }
                if (!process.isAlive()) {
                    say("cycle %2d: the run ended before it could be killed", c);
                    break;
                }
                long delay = c % 2 == 1 ? random.nextInt(20) : (long) (random.nextDouble() * epochMillis);
                Thread.sleep(delay);
                if (!process.isAlive()) {
                    say("cycle %2d: the run ended before it could be killed", c);
                    break;
                }
                int checkpoint = watch.newest();
                process.kill();
                runId = runId == null ? onlyRun(home).id() : runId;
                Map<String, Double> kept = points(home, runId);
                long lost = missing(acknowledged, kept);
                if (!cycles.isEmpty()) {
                    Cycle previous = cycles.remove(cycles.size() - 1);
                    cycles.add(new Cycle(previous.number(), previous.command(), previous.checkpoint(),
                            previous.delayMillis(), previous.pointsKept(), lost));
                }
                cycles.add(new Cycle(c, c == 1 ? "run" : "resume", checkpoint, delay, kept.size(), 0));
                say("cycle %2d: killed '%s' %3d ms after checkpoint-epoch-%03d; the store kept %d points (%d of the"
                        + " last kill's lost)", c, c == 1 ? "run" : "resume", delay, checkpoint, kept.size(), lost);
                acknowledged = kept;
                process = WorkbenchProcess.start(List.of("resume", runId, "--home", home.toString()));
            }
            expectExit(process, 0, "the last process");
        } finally {
            process.close();
        }
        runId = runId == null ? onlyRun(home).id() : runId;
        RunSummary run = onlyRun(home);
        Map<String, Double> last = points(home, runId);
        long lost = missing(acknowledged, last);
        if (!cycles.isEmpty()) {
            Cycle previous = cycles.remove(cycles.size() - 1);
            cycles.add(new Cycle(previous.number(), previous.command(), previous.checkpoint(), previous.delayMillis(),
                    previous.pointsKept(), lost));
        }
        Map<String, Double> training = new LinkedHashMap<>(refPoints);
        training.keySet().removeIf(key -> MetricPoint.measuresTheMachine(name(key)));
        long missing = missing(training, last);
        long differing = training.entrySet().stream()
                .filter(e -> last.containsKey(e.getKey()))
                .filter(e -> Double.doubleToRawLongBits(e.getValue()) != Double.doubleToRawLongBits(last.get(e.getKey())))
                .count();
        Path refDir = RunArtifacts.dir(refHome, refRun);
        Path dir = RunArtifacts.dir(home, runId);
        String refParams = entryDigest(RunArtifacts.model(refDir), "coefficients.bin");
        String params = entryDigest(RunArtifacts.model(dir), "coefficients.bin");
        List<Path> refCheckpoints = RunArtifacts.checkpoints(refDir);
        List<Path> checkpoints = RunArtifacts.checkpoints(dir);
        boolean checkpointsEqual = !refCheckpoints.isEmpty() && !checkpoints.isEmpty()
                && refCheckpoints.get(refCheckpoints.size() - 1).getFileName()
                        .equals(checkpoints.get(checkpoints.size() - 1).getFileName())
                && sameEntries(refCheckpoints.get(refCheckpoints.size() - 1), checkpoints.get(checkpoints.size() - 1));
        long lostInAll = cycles.stream().mapToLong(Cycle::lost).sum();
        Report report = new Report(refRun, runId, List.copyOf(cycles), run.status(), last.size(), lostInAll, missing,
                differing, refParams, params, checkpointsEqual);
        say("run %s %s after %d kills: %d points; acknowledged points lost: %d; against the uninterrupted run: %d"
                + " missing, %d with another value (timings and system metrics aside)", runId, run.status(),
                report.kills(), last.size(), lostInAll, missing, differing);
        say("final parameters %s the uninterrupted run's (SHA-256 of coefficients.bin %s vs %s); last checkpoint"
                + " (parameters and optimizer state) %s", report.parametersEqual() ? "equal" : "DIFFER FROM",
                abbreviate(params), abbreviate(refParams), checkpointsEqual ? "equal" : "DIFFERENT");
        return report;
    }

    private List<String> runArgs(Path home) {
        List<String> args = new ArrayList<>(List.of("run", settings.spec().toString(), "--home", home.toString()));
        for (String set : settings.sets()) {
            args.add("--set");
            args.add(set);
        }
        return args;
    }

    private static void expectExit(WorkbenchProcess process, int expected, String what) throws InterruptedException {
        int code = process.waitFor(RUN_TIMEOUT);
        if (code != expected) {
            throw new IllegalStateException(what + " exited " + code + "; it said " + process.stderr());
        }
    }

    /** The median time between two checkpoints of the uninterrupted run (an epoch), at least 1 ms. */
    private static long epochMillis(List<Long> checkpointNanos) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < checkpointNanos.size(); i++) {
            gaps.add((checkpointNanos.get(i) - checkpointNanos.get(i - 1)) / 1_000_000);
        }
        return gaps.isEmpty() ? 1_000 : Math.max(1, gaps.stream().sorted().toList().get(gaps.size() / 2));
    }

    /** The one run of {@code home}. */
    private static RunSummary onlyRun(Path home) {
        try (Database db = Database.openEmbedded(home)) {
            List<RunSummary> runs = new RunQueries(db).listRuns();
            if (runs.size() != 1) {
                throw new IllegalStateException("expected one run in " + home + ", found " + runs.size());
            }
            return runs.get(0);
        }
    }

    /** Every metric point the store has for the run, as {@code name@step} to value. */
    private static Map<String, Double> points(Path home, String runId) {
        Map<String, Double> out = new LinkedHashMap<>();
        try (Database db = Database.openEmbedded(home)) {
            RunQueries queries = new RunQueries(db);
            RunSummary run = queries.run(runId).orElseThrow();
            for (String metric : run.metrics().keySet()) {
                for (MetricPoint p : queries.history(runId, metric)) {
                    out.put(metric + "@" + p.step(), p.value());
                }
            }
        }
        return out;
    }

    private static long missing(Map<String, Double> before, Map<String, Double> after) {
        return before.keySet().stream().filter(k -> !after.containsKey(k)).count();
    }

    private static String name(String key) {
        return key.substring(0, key.lastIndexOf('@'));
    }

    /** Whether the two network files have the same bytes in their parameters and optimizer state. */
    private static boolean sameEntries(Path a, Path b) {
        for (String entry : List.of("coefficients.bin", "updaterState.bin")) {
            if (!entryDigest(a, entry).equals(entryDigest(b, entry))) {
                return false;
            }
        }
        return true;
    }

    /** SHA-256 of one entry of a zip file ("none" when it has no such entry). */
    static String entryDigest(Path zip, String entry) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            var e = file.getEntry(entry);
            if (e == null) {
                return "none";
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = file.getInputStream(e)) {
                digest.update(in.readAllBytes());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entry + " of " + zip + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static String abbreviate(String digest) {
        return digest.length() > 12 ? digest.substring(0, 12) : digest;
    }

    private void say(String format, Object... args) {
        if (settings.out() != null) {
            settings.out().println(String.format(Locale.ROOT, format, args));
            settings.out().flush();
        }
    }

    /** The newest epoch checkpoint in a home's (only) run folder; 0 before there is one. */
    private record CheckpointWatch(Path home) {

        int newest() {
            Path root = RunArtifacts.root(home);
            if (!Files.isDirectory(root)) {
                return 0;
            }
            try (Stream<Path> dirs = Files.list(root)) {
                int newest = 0;
                for (Path dir : dirs.toList()) {
                    List<Path> all = RunArtifacts.checkpoints(dir);
                    if (!all.isEmpty()) {
                        String name = all.get(all.size() - 1).getFileName().toString();
                        newest = Math.max(newest, Integer.parseInt(name.replaceAll("\\D", "")));
                    }
                }
                return newest;
            } catch (IOException | UncheckedIOException e) {
                return 0; // a folder being written; look again
            }
        }
    }
}
