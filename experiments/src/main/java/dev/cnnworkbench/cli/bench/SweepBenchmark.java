package dev.cnnworkbench.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trials per hour of one small sweep run three ways, each a {@code workbench sweep} in a child JVM with a scratch home,
 * alternating: {@code parallel: 1} and {@code parallel: 2} on all CPUs, and {@code parallel: 1} pinned to one CPU.
 * Each is measured twice: by the child's whole wall time, and by the sweep's own span (from the first trial's start
 * line to the last trial's end line on its standard error), which leaves out the JVM's start, opening the database and
 * the closing table, costs that parallel trials cannot share out. The pinned arm is the additivity baseline: on two
 * CPUs, parallel 2 against one trial on one CPU is 2.0 when each CPU adds a whole trial's worth and nothing is lost to
 * trials fighting. Single-threaded; prints to {@code out}.
 */
public final class SweepBenchmark {

    /** What to sweep: {@code trials} trials of 1 epoch on {@code limit} images of the spec at {@code spec}. */
    public record Settings(Path spec, int trials, int limit, int rounds) {
    }

    private static final Pattern TRIAL_STARTED = Pattern.compile("^trial \\d+ started: .*");
    private static final Pattern TRIAL_ENDED = Pattern.compile(".*\\[(\\d+)/(\\d+)]$");

    private SweepBenchmark() {
    }

    /** Runs the arms {@code rounds} times each and prints trials per hour, medians, spread and the ratios. */
    public static void run(Settings s, PrintStream out) throws IOException, InterruptedException {
        List<ChildRuns.Arm> arms = List.of(arm("parallel 1", s, 1, null), arm("parallel 2", s, 2, null),
                arm("parallel 1 on 1 CPU", s, 1, 0));
        int cores = Runtime.getRuntime().availableProcessors();
        out.println("sweep of " + s.trials() + " trials (" + s.limit() + " images, 1 epoch each) on " + cores
                + " CPUs; meaningful on a quiet machine only");
        ChildRuns.Outcome[][] outcomes = ChildRuns.interleaved(arms, s.rounds(), Duration.ofMinutes(60), out);
        double[][] wall = new double[arms.size()][s.rounds()];
        double[][] span = new double[arms.size()][s.rounds()];
        for (int a = 0; a < arms.size(); a++) {
            for (int r = 0; r < s.rounds(); r++) {
                ChildRuns.Outcome o = outcomes[a][r];
                if (o.exit() != 0) {
                    throw new IllegalStateException(arms.get(a).name() + " exited " + o.exit() + " in round " + (r + 1));
                }
                wall[a][r] = s.trials() * 3600 / o.seconds();
                double seconds = sweepSeconds(o.stderr(), s.trials()).orElseThrow(() -> new IllegalStateException(
                        "the sweep's standard error names no first trial start or last trial end"));
                span[a][r] = s.trials() * 3600 / seconds;
            }
            out.println(arms.get(a).name() + ": trials/hour " + ChildRuns.describe(wall[a]) + " by the whole process, "
                    + ChildRuns.describe(span[a]) + " within the sweep");
        }
        out.printf(Locale.ROOT, "parallel 2 / parallel 1 = %.2f by the whole process, %.2f within the sweep"
                + " (goal >= 1.8 on 2 quiet CPUs)%n", ratio(wall, 1, 0), ratio(span, 1, 0));
        out.printf(Locale.ROOT, "parallel 2 / (parallel 1 on 1 CPU) = %.2f by the whole process, %.2f within the"
                + " sweep (2.0 when two trials at once each run as fast as one alone on one CPU)%n", ratio(wall, 1, 2),
                ratio(span, 1, 2));
        out.printf(Locale.ROOT, "one trial on all CPUs / on 1 CPU = %.2f within the sweep (how well a single trial"
                + " uses the other CPUs; parallel trials can only win what this leaves)%n", ratio(span, 0, 2));
    }

    private static ChildRuns.Arm arm(String name, Settings s, int parallel, Integer cpu) {
        return new ChildRuns.Arm(name, List.of("-Xmx1g"), List.of("sweep", s.spec().toString(), "--set",
                "sweep.parallel=" + parallel, "--set", "sweep.trials=" + s.trials(), "--set", "train.epochs=1",
                "--set", "data.limit=" + s.limit(), "--set", "train.validation=200", "--set", "data.test_limit=200"),
                cpu);
    }

    private static double ratio(double[][] perHour, int a, int b) {
        return ChildRuns.median(perHour[a]) / ChildRuns.median(perHour[b]);
    }

    /**
     * Seconds from the first trial's start line to the line that ends the last of {@code trials} trials
     * ({@code [trials/trials]}); empty when either line is missing.
     */
    public static OptionalDouble sweepSeconds(List<WorkbenchProcess.TimedLine> stderr, int trials) {
        Double first = null;
        Double last = null;
        for (WorkbenchProcess.TimedLine line : stderr) {
            if (first == null && TRIAL_STARTED.matcher(line.text()).matches()) {
                first = line.seconds();
            }
            Matcher ended = TRIAL_ENDED.matcher(line.text());
            if (ended.matches() && Integer.parseInt(ended.group(1)) == trials
                    && Integer.parseInt(ended.group(2)) == trials) {
                last = line.seconds();
            }
        }
        return first == null || last == null || last <= first ? OptionalDouble.empty()
                : OptionalDouble.of(last - first);
    }
}
