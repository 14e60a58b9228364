package dev.cnnworkbench.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a {@link WebServer} guards its name and its transport.
 *
 * @param allowedHosts host names (or addresses) besides the bound address and the loopback names that requests may
 *                     name in their {@code Host} header (e.g. the name people type when the server is behind a proxy);
 *                     any other is refused, so that no DNS name rebound to this machine reaches it
 * @param tlsCert      a PEM certificate (chain) to serve HTTPS with; {@code null} for plain HTTP
 * @param tlsKey       the PEM private key (PKCS#8 or PKCS#1) of {@code tlsCert}; given exactly when it is
 */
public record WebSecurity(List<String> allowedHosts, Path tlsCert, Path tlsKey) {

    /** Plain HTTP, answering to the bound address and the loopback names only. */
    public static final WebSecurity DEFAULT = new WebSecurity(List.of(), null, null);
    /** A DNS name (letters, digits, '-', dots) or an IPv4 or bracket-less IPv6 literal. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?|[0-9A-Fa-f:.]{2,45}");

    public WebSecurity {
        allowedHosts = allowedHosts == null ? List.of() : allowedHosts.stream().map(WebSecurity::checkHost).toList();
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and its key (--tls-cert FILE --tls-key FILE),"
                    + " got only the " + (tlsCert == null ? "key" : "certificate"));
        }
        for (Path file : tlsCert == null ? List.<Path>of() : List.of(tlsCert, tlsKey)) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read the TLS " + (file == tlsCert ? "certificate" : "key")
                        + " file " + file.toAbsolutePath() + " (a PEM file is expected)");
            }
        }
    }

    /** Whether the server speaks HTTPS. */
    public boolean tls() {
        return tlsCert != null;
    }

    /** This, also answering to {@code hosts}. */
    public WebSecurity withAllowedHosts(List<String> hosts) {
        return new WebSecurity(hosts, tlsCert, tlsKey);
    }

    /** This, over TLS with this PEM certificate and key. */
    public WebSecurity withTls(Path cert, Path key) {
        return new WebSecurity(allowedHosts, cert, key);
    }

    private static String checkHost(String host) {
        String bare = host == null ? "" : host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!HOST.matcher(bare).matches()) {
            throw new IllegalArgumentException("--allow-host takes a host name or an address without port or scheme,"
                    + " e.g. workbench.example.org; got '" + host + "'");
        }
        return bare.toLowerCase(Locale.ROOT);
    }
}
