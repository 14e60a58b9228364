package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code workbench db-server --bind 127.0.0.1} as a real process: the kernel's table of listening sockets
 * ({@code /proc/net/tcp} and {@code tcp6}) shows its port on 127.0.0.1 only, not on every interface.
 */
class DbServerBindIT {

    @TempDir
    Path home;

    @Test
    void listensOnlyOnTheAddressItIsTold() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Workbench.class.getName(), "db-server",
                "--home", home.toString(), "--bind", "127.0.0.1", "--port", String.valueOf(port))
                .redirectErrorStream(true);
        pb.environment().put("WORKBENCH_DB_PASSWORD", "bind-test-secret");
        Process server = pb.start();
        List<String> seen = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("team database served at")) {
                seen.add(line);
            }
            assertThat(line).as("the server starts; it said %s", seen).isNotNull();
            assertThat(listening(port)).as("local addresses listening on port %d", port).containsExactly("127.0.0.1");
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** The local addresses of the sockets listening on {@code port}, from /proc/net/tcp and tcp6. */
    private static List<String> listening(int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path).subList(1, Files.readAllLines(path).size())) {
                // "  0: 0100007F:2384 00000000:0000 0A ..." (local address:port, remote, state 0A = LISTEN)
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (f[3].equals("0A") && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(address(local[0]));
                }
            }
        }
        return addresses;
    }

    /**
     * An address as /proc writes it (hex, each 32-bit word in host byte order, little-endian here); an IPv4 address
     * mapped into IPv6 ({@code ::ffff:a.b.c.d}, how Java binds an IPv4 address on a dual-stack socket) as IPv4.
     */
    private static String address(String hex) {
        if (hex.length() == 32 && hex.startsWith("0000000000000000FFFF0000")) {
            return address(hex.substring(24));
        }
        if (hex.length() == 8) {
            long v = Long.parseLong(hex, 16);
            return (v & 0xff) + "." + (v >> 8 & 0xff) + "." + (v >> 16 & 0xff) + "." + (v >> 24 & 0xff);
        }
        return hex.chars().allMatch(c -> c == '0') ? "::" : "IPv6 " + hex;
    }
}
