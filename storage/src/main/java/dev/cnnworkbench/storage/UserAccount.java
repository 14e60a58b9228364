package dev.cnnworkbench.storage;

import java.time.Instant;

/**
 * A person who may use a team-mode server.
 *
 * @param name      the login name, also what runs started by this person record as their user
 * @param admin     whether this person may change every run, not only their own
 * @param createdAt when the account was added
 * @param tokens    how many personal API tokens the account has
 */
public record UserAccount(String name, boolean admin, Instant createdAt, int tokens) {
}
