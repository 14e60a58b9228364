package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionsTest {

    final AtomicLong now = new AtomicLong(1_000_000);
    final Sessions sessions = new Sessions(now::get);

    @Test
    void aSessionHasRandomSecretsAndEndsWhenIdleForTooLong() {
        Sessions.Session a = sessions.create("alice", false);
        Sessions.Session b = sessions.create("alice", false);
        assertThat(a.id).isNotEqualTo(b.id).hasSize(43);
        assertThat(a.csrfToken).isNotEqualTo(a.id).isNotEqualTo(b.csrfToken);
        now.addAndGet(Sessions.IDLE.toMillis() - 1);
        assertThat(sessions.find(a.id)).contains(a);
        now.addAndGet(Sessions.IDLE.toMillis() - 1);
        assertThat(sessions.find(a.id)).as("used a moment ago: still live").contains(a);
        assertThat(sessions.find(b.id)).as("idle too long").isEmpty();
        assertThat(sessions.find("unknown")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
    }

    @Test
    void aSessionEndsAfterItsLifetimeHoweverBusy() {
        Sessions.Session a = sessions.create("alice", false);
        for (long t = 0; t < Sessions.LIFETIME.toMillis(); t += Sessions.IDLE.toMillis() / 2) {
            assertThat(sessions.find(a.id)).isPresent();
            now.addAndGet(Sessions.IDLE.toMillis() / 2);
        }
        assertThat(sessions.find(a.id)).isEmpty();
    }

    @Test
    void anAccountIsRecheckedAfterAWhileAndARemovedUsersSessionsEnd() {
        Sessions.Session a = sessions.create("alice", false);
        Sessions.Session b = sessions.create("bob", false);
        assertThat(sessions.needsRecheck(a)).isFalse();
        now.addAndGet(Sessions.RECHECK.toMillis());
        assertThat(sessions.needsRecheck(a)).isTrue();
        sessions.rechecked(a, true);
        assertThat(a.admin).isTrue();
        assertThat(sessions.needsRecheck(a)).isFalse();
        sessions.removeUser("alice");
        assertThat(sessions.find(a.id)).isEmpty();
        assertThat(sessions.find(b.id)).isPresent();
        sessions.remove(b.id);
        assertThat(sessions.size()).isZero();
    }
}
