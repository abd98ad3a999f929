/**
 * Scale-out: the Hazelcast cluster the gateways form, who its members are, and which member owns
 * each series.
 */
package dev.tally.gateway.cluster;
