package dev.cnnworkbench.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whole workbench commands in child JVMs, measured from outside: wall time and peak resident memory ({@code VmHWM} of
 * {@code /proc/PID/status}, polled every 50 ms while the child runs), and what it writes on standard error, timed.
 * Two benchmarks use it: the trials per hour of a sweep ({@link SweepBenchmark}), and a run's peak memory, wall time
 * and first step under different JVM options. Arms alternate round by round so that machine drift cancels. Each child
 * gets a scratch home of its own, unless the caller names one home for all. Single-threaded; prints to {@code out}.
 */
public final class ChildRuns {

    /**
     * One child: its wall seconds, peak resident set in MB (0 where /proc is missing), exit status and what it wrote
     * on standard error, each line timed from the child's start.
     */
    public record Outcome(double seconds, long peakRssMb, int exit, List<WorkbenchProcess.TimedLine> stderr) {
    }

    /**
     * One arm: a name, the child's JVM options, the command's arguments ({@code --home} is added) and the one CPU it
     * runs on ({@code null}: all of them).
     */
    public record Arm(String name, List<String> jvmOptions, List<String> args, Integer cpu) {

        /** An arm whose child may use every CPU. */
        public Arm(String name, List<String> jvmOptions, List<String> args) {
            this(name, jvmOptions, args, null);
        }
    }

    private ChildRuns() {
    }

    /** Runs every arm {@code rounds} times, alternating their order; the outcomes by arm, then by round. */
    public static Outcome[][] interleaved(List<Arm> arms, int rounds, Duration timeout, PrintStream out)
            throws IOException, InterruptedException {
        return interleaved(arms, rounds, null, timeout, out);
    }

    /**
     * As {@link #interleaved(List, int, Duration, PrintStream)}, every child in {@code home} ({@code null}: a scratch
     * home each).
     */
    public static Outcome[][] interleaved(List<Arm> arms, int rounds, Path home, Duration timeout, PrintStream out)
            throws IOException, InterruptedException {
        Outcome[][] all = new Outcome[arms.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            StringBuilder line = new StringBuilder("  round " + (r + 1) + ":");
            for (int k = 0; k < arms.size(); k++) {
                int a = r % 2 == 0 ? k : arms.size() - 1 - k;
                Outcome o = home == null ? once(arms.get(a), timeout) : once(arms.get(a), home, timeout);
                all[a][r] = o;
                line.append(String.format(Locale.ROOT, " %s %.1f s, %d MB%s;", arms.get(a).name(), o.seconds(),
                        o.peakRssMb(), o.exit() == 0 ? "" : " (exit " + o.exit() + ")"));
            }
            out.println(line);
        }
        return all;
    }

    /** Runs one arm to its end in a scratch home, which is deleted afterwards. */
    public static Outcome once(Arm arm, Duration timeout) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("workbench-child-bench");
        try {
            return once(arm, home, timeout);
        } finally {
            org.apache.commons.io.file.PathUtils.deleteDirectory(home);
        }
    }

    /** Runs one arm to its end in {@code home}, which it leaves as the command left it. */
    public static Outcome once(Arm arm, Path home, Duration timeout) throws InterruptedException {
        List<String> args = new ArrayList<>(arm.args());
        args.addAll(List.of("--home", home.toString()));
        long start = System.nanoTime();
        try (WorkbenchProcess p = arm.cpu() == null ? WorkbenchProcess.start(arm.jvmOptions(), args)
                : WorkbenchProcess.startOnCpu(arm.cpu(), arm.jvmOptions(), args)) {
            long peak = 0;
            long deadline = start + timeout.toNanos();
            while (p.isAlive() && System.nanoTime() < deadline) {
                peak = Math.max(peak, peakRssMb(p.pid()));
                Thread.sleep(50);
            }
            int exit = p.waitFor(Duration.ofSeconds(Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L)));
            if (exit != 0) {
                List<String> said = p.stderr();
                System.err.println(arm.name() + " exited " + exit + "; its last words: "
                        + said.subList(Math.max(0, said.size() - 5), said.size()));
            }
            return new Outcome((System.nanoTime() - start) / 1e9, peak, exit, p.timedStderr());
        }
    }

    /** A progress bar line that counts at least one finished step, e.g. {@code epoch 1/2  5% [==  ]  2/40 (...)}. */
    private static final java.util.regex.Pattern STEP_DONE = java.util.regex.Pattern.compile(
            "^epoch \\d+/\\d+ .*] +[1-9]\\d*/\\d+ .*");

    /**
     * Seconds from a {@code workbench run}'s start to its first progress line that counts a finished step (the bar
     * redraws at most every 0.5 s, so this is the first step's end plus up to half a second); empty when none came.
     */
    public static java.util.OptionalDouble firstStepSeconds(List<WorkbenchProcess.TimedLine> stderr) {
        return stderr.stream().filter(l -> STEP_DONE.matcher(l.text()).matches())
                .mapToDouble(WorkbenchProcess.TimedLine::seconds).findFirst();
    }

    /** {@code VmHWM} of a process in MB; 0 when it cannot be read (gone, or no /proc). */
    static long peakRssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** Median, minimum and maximum of {@code values}, e.g. {@code "median 41.0 (min 39.2, max 44.9, n=3)"}. */
    public static String describe(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        return String.format(Locale.ROOT, "median %.1f (min %.1f, max %.1f, n=%d)", median, s[0], s[s.length - 1],
                s.length);
    }

    /** The median of {@code values}. */
    public static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
