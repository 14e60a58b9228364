package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code ./workbench ...} line in the README's code blocks parses with the real command line (commands,
 * subcommands, options and their values), so the README cannot name a command or option that does not exist.
 * The README's notation is read as a person reads it: {@code [--opt X]} is an optional part (parsed as given),
 * {@code a|b} is a choice (the first is parsed), {@code ...} means "more of the same" and {@code # ...} is a comment.
 */
class ReadmeCommandsTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void everyWorkbenchLineOfTheReadmeParses() throws IOException {
        List<String> commands = workbenchLines(Files.readAllLines(README));
        assertThat(commands).as("./workbench lines in the README's code blocks").hasSizeGreaterThan(20);
        List<String> refused = new ArrayList<>();
        for (String line : commands) {
            List<String> args = arguments(line);
            if (args.isEmpty() || args.get(0).equals("test") || args.stream().anyMatch(a -> a.startsWith("<"))) {
                continue; // the launcher's own command, or a placeholder for any command
            }
            try {
                Workbench.commandLine().parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                refused.add(line + "\n    -> " + e.getMessage());
            }
        }
        assertThat(refused).as("README lines the command line refuses").isEmpty();
    }

    @Test
    void readsTheReadmeNotation() {
        assertThat(arguments("./workbench serve [--port 8080] [--bind 127.0.0.1]   # the dashboard"))
                .containsExactly("serve", "--port", "8080", "--bind", "127.0.0.1");
        assertThat(arguments("./workbench runs --filter \"a = 'x' and b > 1\" --format json|csv"))
                .containsExactly("runs", "--filter", "a = 'x' and b > 1", "--format", "json");
        assertThat(arguments("./workbench ensemble RUN_ID RUN_ID ...")).containsExactly("ensemble", "RUN_ID", "RUN_ID");
        assertThat(workbenchLines(List.of("```", "X=1 ./workbench run a.json \\", "    --set b=1", "```", "./workbench no")))
                .containsExactly("./workbench run a.json --set b=1");
    }

    /** The {@code ./workbench} command lines inside fenced code blocks, continuation lines joined. */
    static List<String> workbenchLines(List<String> readme) {
        List<String> found = new ArrayList<>();
        boolean inBlock = false;
        StringBuilder pending = null;
        for (String raw : readme) {
            if (raw.trim().startsWith("```")) {
                inBlock = !inBlock;
                continue;
            }
            if (!inBlock) {
                continue;
            }
            String line = raw.trim();
            if (pending == null) {
                int at = line.indexOf("./workbench ");
                if (at < 0 || !line.substring(0, at).matches("([A-Z_]+=\\S*\\s+)*")) {
                    continue;
                }
                pending = new StringBuilder(line.substring(at));
            } else {
                pending.append(' ').append(line);
            }
            if (pending.toString().endsWith("\\")) {
                pending.setLength(pending.length() - 1);
                pending = new StringBuilder(pending.toString().trim());
            } else {
                found.add(pending.toString());
                pending = null;
            }
        }
        return found;
    }

    /** The arguments after {@code ./workbench}: shell quoting, comments, and the README's notation undone. */
    static List<String> arguments(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = "./workbench".length(); i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                word = word == null ? new StringBuilder("\u0000") : word;
            } else if (Character.isWhitespace(c)) {
                word = flush(word, words);
            } else if (c == '#' && word == null) {
                break;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        flush(word, words);
        return words;
    }

    /** Adds a finished word (quoted words as they are; bare ones with brackets, choices and ellipses undone). */
    private static StringBuilder flush(StringBuilder word, List<String> words) {
        if (word == null) {
            return null;
        }
        String w = word.toString();
        if (w.startsWith("\u0000")) {
            words.add(w.substring(1));
            return null;
        }
        w = w.replace("[", "").replace("]", "");
        if (w.contains("|")) {
            w = w.substring(0, w.indexOf('|'));
        }
        if (!w.isEmpty() && !w.equals("...")) {
            words.add(w);
        }
        return null;
    }
}
