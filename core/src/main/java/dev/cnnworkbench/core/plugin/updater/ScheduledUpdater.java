package dev.cnnworkbench.core.plugin.updater;

import java.util.Objects;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The learning-rate half of a DL4J updater configuration: a fixed rate, or a schedule that overrides it when
 * non-null. DL4J writes configurations into the model JSON through their fields ({@link IUpdater} sets field
 * visibility), so subclasses keep their hyperparameters in fields and read them back through a
 * {@code @JsonCreator} constructor.
 *
 * <p>Part of the plugin API. What Jackson needs from a subclass, so that a saved network can be read back: every
 * hyperparameter in a non-static, non-transient field; a constructor annotated {@code @JsonCreator} whose arguments
 * are annotated {@code @JsonProperty("field")} (or a public no-argument constructor); {@code equals} and
 * {@code hashCode} over all fields (DL4J compares configurations, e.g. to merge layers into one updater block), and
 * a {@code clone} that copies the schedule ({@link #scheduleCopy()}).
 */
public abstract class ScheduledUpdater implements IUpdater {

    protected double learningRate;
    protected ISchedule learningRateSchedule;

    protected ScheduledUpdater(double learningRate, ISchedule learningRateSchedule) {
        this.learningRate = learningRate;
        this.learningRateSchedule = learningRateSchedule;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public abstract ScheduledUpdater clone();

    /** The schedule, copied for {@link #clone()}. */
    protected ISchedule scheduleCopy() {
        return learningRateSchedule == null ? null : learningRateSchedule.clone();
    }

    /** Whether the learning-rate parts of {@code this} and {@code other} are equal. */
    protected boolean sameRate(ScheduledUpdater other) {
        return Double.compare(learningRate, other.learningRate) == 0
                && Objects.equals(learningRateSchedule, other.learningRateSchedule);
    }

    protected int rateHash() {
        return Objects.hash(learningRate, learningRateSchedule);
    }

    protected String rateText() {
        return "lr=" + (learningRateSchedule != null ? learningRateSchedule : learningRate);
    }
}
