package dev.losslab.loss;

import java.util.Locale;

/**
 * How a sample's soft membership in the four confusion-matrix sets is computed from H = H(p, tau)
 * (Tsoi et al.). The two public codebases of the authors differ; see shared/reference/loss-notes.md.
 */
public enum SoftSetForm {
    /**
     * Eq. 3 of the paper, as the authors' 2020 research code computes it: tp = H if y = 1 or
     * p &lt; tau else 1 - H; fn = 1 - H if y = 1 or p &gt;= tau else H; fp = H if y = 0 or p &lt; tau
     * else 1 - H; tn = 1 - H if y = 0 or p &gt;= tau else H. A sample also receives a small
     * membership in the sets it does not belong to. (The research code mirrors p and tau, H(1-p;
     * 1-tau), for the off-diagonal cases; both approximations are symmetric, H(1-p; 1-tau) = 1 -
     * H(p; tau), so this is the same value.)
     */
    EQ3,
    /**
     * The authors' published package (torch-btg, 2023): tp = H y, fn = (1 - H) y, fp = H (1 - y),
     * tn = (1 - H)(1 - y).
     */
    MASKED;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
