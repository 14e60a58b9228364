package dev.cnnworkbench.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where {@code workbench user} reads a password: the first line of {@code --password-file}, else typed twice at the
 * terminal without echo, else the first line of standard input (for scripts: {@code echo ... | workbench user add}).
 * Never from the command line, where other users of the machine could read it.
 */
final class PasswordInput {

    private PasswordInput() {
    }

    /** The password; IllegalArgumentException when there is none or the two typed differ. */
    static char[] read(Path file, Console console, InputStream stdin, String prompt) throws IOException {
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read the password file " + file);
            }
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return firstLine(in, "the password file " + file);
            }
        }
        if (console != null) {
            char[] first = console.readPassword("%s: ", prompt);
            char[] again = console.readPassword("%s (again): ", prompt);
            try {
                if (first == null || again == null || !Arrays.equals(first, again)) {
                    throw new IllegalArgumentException("the two passwords differ; nothing was changed");
                }
                return first;
            } finally {
                if (again != null) {
                    Arrays.fill(again, '\0');
                }
            }
        }
        return firstLine(new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)), "standard input");
    }

    private static char[] firstLine(BufferedReader in, String source) throws IOException {
        String line = in.readLine();
        if (line == null || line.isEmpty()) {
            throw new IllegalArgumentException("no password in " + source + " (its first line is the password)");
        }
        return line.toCharArray();
    }
}
