package dev.cnnworkbench.web.auth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows password guessing: after {@link #MAX_FAILURES_PER_NAME} failed logins for one user name, or
 * {@link #MAX_FAILURES_PER_ADDRESS} from one client address, within {@link #WINDOW}, further attempts for that name
 * or from that address are refused until the window has passed (the password is not even checked). A successful login
 * clears its name's count. Remembers at most {@link #MAX_KEYS} names and addresses. Thread-safe.
 */
public final class LoginThrottle {

    public static final int MAX_FAILURES_PER_NAME = 5;
    public static final int MAX_FAILURES_PER_ADDRESS = 20;
    public static final Duration WINDOW = Duration.ofMinutes(15);
    public static final int MAX_KEYS = 10_000;

    /** Failures counted since {@code since}. */
    private record Count(int failures, long since) {
    }

    private final LongSupplier clock;
    private final Map<String, Count> counts = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Count> eldest) {
            return size() > MAX_KEYS;
        }
    };

    public LoginThrottle() {
        this(System::currentTimeMillis);
    }

    /** @param clock epoch milliseconds, for tests */
    public LoginThrottle(LongSupplier clock) {
        this.clock = clock;
    }

    /** Seconds until an attempt for {@code name} from {@code address} is allowed; 0 when it is allowed now. */
    public synchronized long retryAfterSeconds(String name, String address) {
        long now = clock.getAsLong();
        long wait = Math.max(wait(nameKey(name), MAX_FAILURES_PER_NAME, now), wait(addressKey(address), MAX_FAILURES_PER_ADDRESS, now));
        return wait == 0 ? 0 : Math.max(1, (wait + 999) / 1000);
    }

    public synchronized void failed(String name, String address) {
        long now = clock.getAsLong();
        count(nameKey(name), now);
        count(addressKey(address), now);
    }

    public synchronized void succeeded(String name) {
        counts.remove(nameKey(name));
    }

    private long wait(String key, int max, long now) {
        Count c = counts.get(key);
        if (c == null || now - c.since() >= WINDOW.toMillis()) {
            return 0;
        }
        return c.failures() >= max ? c.since() + WINDOW.toMillis() - now : 0;
    }

    private void count(String key, long now) {
        Count c = counts.get(key);
        counts.put(key, c == null || now - c.since() >= WINDOW.toMillis() ? new Count(1, now) : new Count(c.failures() + 1, c.since()));
    }

    private static String nameKey(String name) {
        return "name:" + String.valueOf(name).toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
