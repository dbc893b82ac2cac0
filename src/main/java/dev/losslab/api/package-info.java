/**
 * losslab as a library: the stable entry points. {@link dev.losslab.api.ImbalanceLosses} builds any
 * of losslab's losses as TF graph ops in a user's own TF-Java graph; {@link dev.losslab.api.ThresholdTuning}
 * fits and applies decision rules on plain {@code double[][]} probabilities from any model;
 * {@link dev.losslab.api.SavedModelClassifier} runs any image SavedModel. These classes, and the types
 * they return ({@link dev.losslab.loss.Loss}, {@link dev.losslab.tune.DecisionRule}), are the public
 * API; every other package is losslab's implementation and may change without notice.
 */
package dev.losslab.api;
