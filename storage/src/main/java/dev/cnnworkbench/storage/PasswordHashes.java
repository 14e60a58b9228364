package dev.cnnworkbench.storage;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for team mode: PBKDF2 with HMAC-SHA256 (the JDK's, no extra library), a random 16-byte salt per
 * password and {@link #DEFAULT_ITERATIONS} iterations (OWASP's 2023 figure for this function). A hash is stored as
 * the text {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt and hash in Base64), so a later change of the iteration
 * count still verifies the passwords hashed before it. Verification compares in constant time. Thread-safe.
 */
public final class PasswordHashes {

    public static final int DEFAULT_ITERATIONS = 600_000;
    static final String SCHEME = "pbkdf2-sha256";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final int MIN_ITERATIONS = 1_000;
    private static final int MAX_ITERATIONS = 10_000_000;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();

    /** Hashes with {@link #DEFAULT_ITERATIONS}. */
    public PasswordHashes() {
        this(DEFAULT_ITERATIONS);
    }

    /** Hashes with {@code iterations} (at least 1,000; tests use few to stay fast). */
    public PasswordHashes(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be from " + MIN_ITERATIONS + " to " + MAX_ITERATIONS);
        }
        this.iterations = iterations;
    }

    /** A fresh hash of {@code password} (not empty), with a new salt. */
    public String hash(char[] password) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("a password cannot be empty");
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derive(password, salt,
                iterations, HASH_BITS));
    }

    /**
     * Whether {@code password} is the one {@code stored} was made from. A stored text that is not such a hash (or
     * {@code null}) matches nothing, after the same amount of work, so that a caller can verify against a dummy hash
     * and take as long for an unknown user as for a known one. An empty password matches nothing.
     */
    public boolean verify(char[] password, String stored) {
        if (password == null || password.length == 0) {
            return false;
        }
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        try {
            if (parts.length == 4 && SCHEME.equals(parts[0])) {
                int n = Integer.parseInt(parts[1]);
                byte[] salt = Base64.getDecoder().decode(parts[2]);
                byte[] expected = Base64.getDecoder().decode(parts[3]);
                if (n >= MIN_ITERATIONS && n <= MAX_ITERATIONS && expected.length > 0) {
                    return MessageDigest.isEqual(expected, derive(password, salt, n, expected.length * 8));
                }
            }
        } catch (IllegalArgumentException e) {
            // malformed: falls through to the dummy work below
        }
        derive(password, new byte[SALT_BYTES], iterations, HASH_BITS);
        return false;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks " + ALGORITHM, e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Overwrites a password held in memory once it is no longer needed. */
    public static void wipe(char[] password) {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
