package dev.cnnworkbench.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * A cluster's key: one self-signed certificate and its private key, shared by every member of one cluster (copy the
 * folder to a machine that should join). The event bus of a member speaks TLS with this key, requires the peer to
 * present it too and trusts nothing else, so a process without these two files can neither join the bus nor read
 * what crosses it. The cluster's name (what Hazelcast members must agree on) is derived from the certificate, so a
 * member with another key never forms a cluster with this one.
 *
 * <p>Files: {@value #CERT_FILE} and {@value #KEY_FILE} (PEM) in one folder, both readable by their owner only
 * (0600), by default {@code HOME/cluster}. Made by the JDK's {@code keytool} (EC P-256, ten years): offline, no
 * library beyond the JDK. Immutable.
 */
public record ClusterKey(Path cert, Path key, byte[] certificate) {

    public static final String CERT_FILE = "cluster-cert.pem";
    public static final String KEY_FILE = "cluster-key.pem";
    /** Names a folder holding a cluster key, for a member whose home is not the hub's (another machine). */
    public static final String ENV = "WORKBENCH_CLUSTER_KEY";

    public ClusterKey {
        certificate = certificate.clone();
    }

    /** The folder a home keeps its cluster key in: {@code WORKBENCH_CLUSTER_KEY} when set, else {@code HOME/cluster}. */
    public static Path folder(Path home, Map<String, String> env) {
        String named = env.get(ENV);
        return named != null && !named.isBlank() ? Path.of(named) : home.resolve("cluster");
    }

    /** The key in {@code dir}, made first when the folder has none. */
    public static ClusterKey ensure(Path dir) throws IOException {
        if (!Files.exists(dir.resolve(CERT_FILE)) && !Files.exists(dir.resolve(KEY_FILE))) {
            try {
                return create(dir);
            } catch (FileAlreadyExistsException raced) {
                // another process of this home made it at the same moment: use theirs
            }
        }
        return load(dir);
    }

    /**
     * Makes a new key in {@code dir} (created 0700 if missing); fails with FileAlreadyExistsException when it holds
     * one already (a cluster's members would lose their key).
     */
    public static ClusterKey create(Path dir) throws IOException {
        Files.createDirectories(dir);
        restrict(dir, "rwx------");
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        Path store = dir.resolve(".keytool-" + UUID.randomUUID() + ".p12");
        String pass = UUID.randomUUID().toString();
        try {
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "cluster", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
                    "-dname", "CN=workbench-cluster-" + UUID.randomUUID(), "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", pass).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (keytool.waitFor() != 0) {
                throw new IOException("keytool failed to make the cluster key: " + output.strip());
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, pass.toCharArray());
            }
            Certificate certificate = ks.getCertificate("cluster");
            PrivateKey key = (PrivateKey) ks.getKey("cluster", pass.toCharArray());
            writePrivate(keyFile, pem("PRIVATE KEY", key.getEncoded()));
            writePrivate(certFile, pem("CERTIFICATE", certificate.getEncoded()));
            return new ClusterKey(certFile, keyFile, certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the cluster key keytool made: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the cluster key", e);
        } finally {
            Files.deleteIfExists(store);
        }
    }

    /** The key in {@code dir}; fails naming the missing or unreadable file. */
    public static ClusterKey load(Path dir) throws IOException {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        for (Path f : new Path[] {certFile, keyFile}) {
            if (!Files.isRegularFile(f)) {
                throw new NoSuchFileException(f.toString(), null, "no cluster key here (make one with"
                        + " './workbench cluster init', or copy the hub's " + dir.getFileName() + " folder)");
            }
        }
        try (InputStream in = Files.newInputStream(certFile)) {
            Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(in);
            return new ClusterKey(certFile, keyFile, c.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException(certFile + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the certificate, hex: what members compare to know they hold the same key. */
    public String fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The Hazelcast cluster name of this key's members: {@code workbench-} and the fingerprint's first 20 digits. */
    public String clusterName() {
        return "workbench-" + fingerprint().substring(0, 20);
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    private static void restrict(Path dir, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access rules apply
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterKey k && k.cert.equals(cert) && k.key.equals(key)
                && java.util.Arrays.equals(k.certificate, certificate);
    }

    @Override
    public int hashCode() {
        return cert.hashCode() * 31 + java.util.Arrays.hashCode(certificate);
    }

    @Override
    public String toString() {
        return "cluster key " + cert.getParent() + " (" + fingerprint().substring(0, 16) + ")";
    }
}
