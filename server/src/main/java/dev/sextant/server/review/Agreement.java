package dev.sextant.server.review;

/**
 * A 2×2 confusion matrix of judge verdicts against human verdicts (the truth), with its agreement
 * statistics. "Positive" is a pass.
 *
 * @param truePositives  human pass, judge pass
 * @param falseNegatives human pass, judge fail
 * @param falsePositives human fail, judge pass
 * @param trueNegatives  human fail, judge fail
 */
public record Agreement(int truePositives, int falseNegatives, int falsePositives, int trueNegatives) {

    public int total() {
        return truePositives + falseNegatives + falsePositives + trueNegatives;
    }

    /** Observed agreement; null without pairs. */
    public Double agreementRate() {
        return total() == 0 ? null : (double) (truePositives + trueNegatives) / total();
    }

    /**
     * Cohen's kappa: agreement beyond what the two raters' pass rates give by chance. Null when it
     * is undefined (no pairs, or both always give the same single verdict).
     */
    public Double kappa() {
        double n = total();
        if (n == 0) {
            return null;
        }
        double observed = (truePositives + trueNegatives) / n;
        double humanPass = (truePositives + falseNegatives) / n;
        double judgePass = (truePositives + falsePositives) / n;
        double chance = humanPass * judgePass + (1 - humanPass) * (1 - judgePass);
        return chance >= 1 ? null : (observed - chance) / (1 - chance);
    }

    /** Of the items people passed, the share the judge passed too (recall, sensitivity). */
    public Double truePositiveRate() {
        int positives = truePositives + falseNegatives;
        return positives == 0 ? null : (double) truePositives / positives;
    }

    /** Of the items people failed, the share the judge failed too (specificity). */
    public Double trueNegativeRate() {
        int negatives = falsePositives + trueNegatives;
        return negatives == 0 ? null : (double) trueNegatives / negatives;
    }

    public Agreement add(boolean human, boolean judge) {
        return new Agreement(truePositives + (human && judge ? 1 : 0), falseNegatives + (human && !judge ? 1 : 0),
                falsePositives + (!human && judge ? 1 : 0), trueNegatives + (!human && !judge ? 1 : 0));
    }
}
