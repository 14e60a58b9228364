package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.web.auth.LoginThrottle;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    final AtomicLong now = new AtomicLong(5_000_000);
    final LoginThrottle throttle = new LoginThrottle(now::get);

    @Test
    void blocksANameAfterItsFailuresUntilTheWindowHasPassed() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_NAME; i++) {
            assertThat(throttle.retryAfterSeconds("Alice", "10.0.0.1")).isZero();
            throttle.failed("Alice", "10.0.0.1");
        }
        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.2")).as("names compare without case")
                .isEqualTo(LoginThrottle.WINDOW.toSeconds());
        assertThat(throttle.retryAfterSeconds("bob", "10.0.0.1")).isZero();
        now.addAndGet(LoginThrottle.WINDOW.toMillis() - 1_500);
        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.1")).isEqualTo(2);
        now.addAndGet(1_500);
        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.1")).isZero();
    }

    @Test
    void blocksAnAddressThatTriesManyNames() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ADDRESS; i++) {
            throttle.failed("user" + i, "10.0.0.9");
        }
        assertThat(throttle.retryAfterSeconds("someone-else", "10.0.0.9")).isPositive();
        assertThat(throttle.retryAfterSeconds("someone-else", "10.0.0.8")).isZero();
    }

    @Test
    void aSuccessClearsItsNamesFailures() {
        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_NAME - 1; i++) {
            throttle.failed("carol", "10.0.0.3");
        }
        throttle.succeeded("carol");
        throttle.failed("carol", "10.0.0.3");
        assertThat(throttle.retryAfterSeconds("carol", "10.0.0.3")).isZero();
    }
}
