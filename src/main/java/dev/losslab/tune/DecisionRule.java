package dev.losslab.tune;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A fitted way of turning class probabilities into a class: a value with a JSON form (its
 * {@code method} field names the kind), fitted on validation probabilities and applied unchanged to
 * test probabilities or to new images by {@code predict --rule}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "method")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ArgmaxRule.class, name = "argmax"),
        @JsonSubTypes.Type(value = BinaryThresholdRule.class, name = "grid"),
        @JsonSubTypes.Type(value = AbsoluteThresholdRule.class, name = "absolute"),
        @JsonSubTypes.Type(value = RelativeThresholdRule.class, name = "relative"),
        @JsonSubTypes.Type(value = TreeRule.class, name = "tree"),
        @JsonSubTypes.Type(value = LogitAdjustmentRule.class, name = "logit_adjustment"),
})
public interface DecisionRule {

    /**
     * The classes the rule decides between.
     *
     * @return the number of classes the rule was fitted for
     */
    int numClasses();

    /**
     * Applies the rule.
     *
     * @param probabilities {@code [n, K]} class probabilities, row-major
     * @return the predicted class of each row
     */
    int[] predict(float[] probabilities);
}
