package dev.cnnworkbench.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the command line in-process for the sweep and ensemble tests, capturing standard output and error. */
final class SweepCli {

    record Result(int exitCode, String out, String err) {
    }

    private SweepCli() {
    }

    /** The workbench command line with the sweep and ensemble commands (added here until Workbench lists them). */
    static CommandLine commandLine() {
        CommandLine cl = Workbench.commandLine();
        if (!cl.getSubcommands().containsKey("sweep")) {
            cl.addSubcommand("sweep", new SweepCommand());
        }
        if (!cl.getSubcommands().containsKey("ensemble")) {
            cl.addSubcommand("ensemble", new EnsembleCommand());
        }
        return cl;
    }

    static synchronized Result run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = commandLine().execute(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.err.print(e.toString(StandardCharsets.UTF_8));
        }
    }
}
