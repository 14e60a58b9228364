package dev.cnnworkbench.core.data;

/**
 * Per-channel mean and standard deviation of a set's pixels (in the {@code [0, 1]} scale), the statistics
 * {@code data.normalize} takes from the training split. One pass over the images; nothing held per image.
 *
 * @param mean per channel
 * @param std  per channel (population standard deviation)
 */
public record ChannelStats(double[] mean, double[] std) {

    /** The statistics of {@code set}'s raw pixels (before any normalisation). */
    public static ChannelStats of(ImageSet set) {
        ImageSet raw = set.normalization().isNone() ? set : set.normalized(Normalization.NONE);
        int c = raw.channels();
        int plane = raw.height() * raw.width();
        double[] sum = new double[c];
        double[] sq = new double[c];
        float[] img = new float[raw.imageSize()];
        for (int i = 0; i < raw.size(); i++) {
            raw.copyImage(i, img, 0);
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                double q = 0;
                for (int p = ch * plane, end = p + plane; p < end; p++) {
                    s += img[p];
                    q += (double) img[p] * img[p];
                }
                sum[ch] += s;
                sq[ch] += q;
            }
        }
        double n = Math.max(1, (double) raw.size() * plane);
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = sum[ch] / n;
            std[ch] = Math.sqrt(Math.max(0, sq[ch] / n - mean[ch] * mean[ch]));
        }
        return new ChannelStats(mean, std);
    }

    /** The normalisation {@code data.normalize} names: {@code none}, {@code mean} or {@code mean_std}. */
    public Normalization normalization(String kind) {
        if (kind.equals("none")) {
            return Normalization.NONE;
        }
        float[] m = new float[mean.length];
        float[] s = new float[mean.length];
        for (int c = 0; c < m.length; c++) {
            m[c] = (float) mean[c];
            s[c] = kind.equals("mean_std") ? (float) Math.max(std[c], 1e-6) : 1f;
        }
        return new Normalization(m, s);
    }
}
