package dev.cnnworkbench.cli.bench;

import dev.cnnworkbench.cli.Workbench;
import dev.cnnworkbench.core.engine.NativeBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A workbench command in a child JVM with this JVM's class path and ND4J build, as a person's terminal runs it:
 * standard error is read line by line as it comes (kept, and offered to {@link #awaitLine}), standard output is
 * discarded. {@link #kill} is SIGKILL: no shutdown hook runs, nothing is flushed. Used by one thread (the reader of
 * standard error is its own).
 */
public final class WorkbenchProcess implements AutoCloseable {

    /** A line of standard error and when it arrived, in seconds since the process was started. */
    public record TimedLine(double seconds, String text) {
    }

    private final Process process;
    private final long startNanos = System.nanoTime();
    /** Standard error so far, each line timed; a {@code null} last element marks its end. */
    private final List<TimedLine> lines = new ArrayList<>();
    private final Thread reader;

    private WorkbenchProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "workbench-child-stderr-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code workbench ARGS...} (e.g. {@code run SPEC --home DIR}) with a heap of at most 1 GB. */
    public static WorkbenchProcess start(List<String> args) {
        return start(List.of("-Xmx1g"), args);
    }

    /** Starts {@code workbench ARGS...} in a JVM started with {@code jvmOptions}. */
    public static WorkbenchProcess start(List<String> jvmOptions, List<String> args) {
        return start(List.of(), jvmOptions, args);
    }

    /**
     * Starts {@code workbench ARGS...} (heap at most 1 GB) on CPU {@code cpu} alone ({@code taskset -c}): every thread
     * of its JVM, native ones included, and the JVM sizes its thread pools for one CPU.
     *
     * @throws IllegalStateException when {@code taskset} (util-linux) is not installed
     */
    public static WorkbenchProcess startOnCpu(int cpu, List<String> args) {
        return startOnCpu(cpu, List.of("-Xmx1g"), args);
    }

    /** As {@link #startOnCpu(int, List)}, in a JVM started with {@code jvmOptions}. */
    public static WorkbenchProcess startOnCpu(int cpu, List<String> jvmOptions, List<String> args) {
        Path taskset = Path.of("/usr/bin/taskset");
        if (!java.nio.file.Files.isExecutable(taskset)) {
            throw new IllegalStateException("cannot pin a process to a CPU: " + taskset + " is missing (Debian package"
                    + " util-linux)");
        }
        return start(List.of(taskset.toString(), "-c", Integer.toString(cpu)), jvmOptions, args);
    }

    private static WorkbenchProcess start(List<String> prefix, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        String extension = System.getProperty(NativeBackend.PLATFORM_EXTENSION);
        if (extension != null) {
            command.add("-D" + NativeBackend.PLATFORM_EXTENSION + "=" + extension);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                Workbench.class.getName()));
        command.addAll(args);
        try {
            return new WorkbenchProcess(new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    private void read() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(new TimedLine((System.nanoTime() - startNanos) / 1e9, line));
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process was killed: its pipe is gone, and so is everything it would have said
        } finally {
            synchronized (lines) {
                lines.add(null); // end of stream
                lines.notifyAll();
            }
        }
    }

    /**
     * The first line of standard error (from the start) that {@code wanted} accepts, waiting for it up to
     * {@code timeout}; {@code null} when the process ends without writing one.
     *
     * @throws IllegalStateException on timeout, with what the process said
     */
    public String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            for (int i = 0; ; ) {
                for (; i < lines.size(); i++) {
                    TimedLine line = lines.get(i);
                    if (line == null) {
                        return null;
                    }
                    if (wanted.test(line.text())) {
                        return line.text();
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no such line after " + timeout.toSeconds() + " s; it said "
                            + stderr());
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    /** What the process wrote on standard error so far. */
    public List<String> stderr() {
        synchronized (lines) {
            return lines.stream().filter(java.util.Objects::nonNull).map(TimedLine::text).toList();
        }
    }

    /** What the process wrote on standard error so far, each line with the time it arrived. */
    public List<TimedLine> timedStderr() {
        synchronized (lines) {
            return lines.stream().filter(java.util.Objects::nonNull).toList();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, then waits until the process is gone; returns its exit status (137). */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /**
     * Waits for the process to end by itself and returns its exit status.
     *
     * @throws IllegalStateException when it runs longer than {@code timeout} (it is killed), with what it said
     */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("still running after " + timeout.toSeconds() + " s (killed); it said "
                    + stderr());
        }
        reader.join(5_000);
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
