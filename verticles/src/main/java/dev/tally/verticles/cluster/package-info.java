/**
 * The cluster's logic, without its transport: which node owns a series ({@link
 * dev.tally.verticles.cluster.Ownership}, {@link dev.tally.verticles.cluster.OwnerRing}), what a
 * series gathers for its owner while another node owns it ({@link
 * dev.tally.verticles.cluster.Interval} and its kinds), the deltas sent to owners and their codec,
 * and the node ticks merged into the cluster's global view ({@link
 * dev.tally.verticles.cluster.ClusterTicks}). The Hazelcast membership and the verticles that carry
 * deltas and ticks between nodes are wired in {@code dev.tally.gateway.cluster}.
 */
package dev.tally.verticles.cluster;
