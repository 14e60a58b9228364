package dev.cnnworkbench.storage;

import java.time.Instant;

/**
 * The runs of one experiment that belong to one sweep, or to none, among those a filter matches: a row of the runs
 * page's grouped view.
 *
 * @param experiment  the experiment's name
 * @param sweepId     the sweep (its id is its name), {@code null} for the experiment's runs of no sweep
 * @param runs        how many runs, at least one
 * @param running     how many of them are {@code RUNNING}
 * @param latestStart when the newest of them started
 */
public record RunGroup(String experiment, String sweepId, long runs, long running, Instant latestStart) {
}
