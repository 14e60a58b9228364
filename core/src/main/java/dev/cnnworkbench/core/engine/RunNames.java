package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.spec.ExperimentSpec;

/**
 * The name recorded for a run. A spec that names itself apart from its experiment keeps its name; one whose name is
 * its experiment's (or that names nothing, so both default to the same) gets a readable, unique default:
 * {@code <experiment>-<adjective>-<noun>-<first 4 characters of the run id>}, e.g. {@code lenet5-fashion-brisk-otter-3f2a},
 * derived from the run id alone, so the same run (a resumed one) always gets the same name.
 */
public final class RunNames {

    private static final String[] ADJECTIVES = {"amber", "bold", "brisk", "calm", "clever", "crisp", "dapper", "eager",
        "fancy", "gentle", "glad", "golden", "happy", "jolly", "keen", "lively", "lucky", "merry", "misty", "noble",
        "proud", "quick", "quiet", "rapid", "shy", "silver", "steady", "sunny", "swift", "tidy", "vivid", "witty"};
    private static final String[] NOUNS = {"badger", "bison", "crane", "dingo", "eagle", "falcon", "ferret", "gecko",
        "heron", "ibis", "jaguar", "koala", "lemur", "lynx", "marten", "newt", "ocelot", "otter", "panda", "puffin",
        "quail", "raven", "robin", "salmon", "seal", "sparrow", "stoat", "tapir", "toucan", "walrus", "wombat", "yak"};

    private RunNames() {
    }

    /** The name to record for run {@code runId} of {@code spec}. */
    public static String of(ExperimentSpec spec, String runId) {
        if (spec.name() != null && !spec.name().equals(spec.experiment())) {
            return spec.name();
        }
        int h = runId.hashCode() & 0x7fffffff;
        String adjective = ADJECTIVES[h % ADJECTIVES.length];
        String noun = NOUNS[(h / ADJECTIVES.length) % NOUNS.length];
        return spec.experiment() + "-" + adjective + "-" + noun + "-" + runId.substring(0, Math.min(4, runId.length()));
    }
}
