/**
 * losslab as a library: the stable entry points. {@link ImbalanceLosses} builds any
 * of losslab's losses as TF graph ops in a user's own TF-Java graph; {@link ThresholdTuning}
 * fits and applies decision rules on plain {@code double[][]} probabilities from any model;
 * {@link SavedModelClassifier} runs any image SavedModel. These classes, and the types
 * they return ({@link Loss}, {@link DecisionRule}), are the public
 * API; every other package is losslab's implementation and may change without notice.
 */
package dev.losslab.api;

import dev.losslab.loss.Loss;
import dev.losslab.tune.DecisionRule;
