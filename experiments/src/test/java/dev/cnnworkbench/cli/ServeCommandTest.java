package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code serve} refuses before it opens anything: logins over plain HTTP on a network, half or unreadable TLS. */
class ServeCommandTest {

    @TempDir
    Path home;

    private InProcessCli.Result serve(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "serve";
        all[1] = "--home";
        all[2] = home.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return InProcessCli.run(all);
    }

    @Test
    void refusesLoginsOnTheNetworkWithoutTlsUnlessToldAProxyDoesIt() {
        InProcessCli.Result r = serve("--auth", "--bind", "0.0.0.0", "--port", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--tls-cert FILE --tls-key FILE", "--insecure-http").doesNotContain("\tat ");
        assertThat(Files.exists(home.resolve("db"))).as("nothing opened").isFalse();
    }

    @Test
    void refusesHalfOrUnreadableTlsAndAnAllowedHostThatIsAUrl() {
        InProcessCli.Result half = serve("--tls-cert", home.resolve("cert.pem").toString());
        assertThat(half.exitCode()).isEqualTo(2);
        assertThat(half.err()).contains("both a certificate and its key");
        InProcessCli.Result missing = serve("--tls-cert", home.resolve("cert.pem").toString(), "--tls-key",
                home.resolve("key.pem").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read the TLS certificate file", "cert.pem");
        InProcessCli.Result url = serve("--allow-host", "https://dash.example/");
        assertThat(url.exitCode()).isEqualTo(2);
        assertThat(url.err()).contains("--allow-host takes a host name");
    }
}
