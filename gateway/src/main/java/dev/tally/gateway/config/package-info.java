/**
 * Configuration: flags, {@code TALLY_*} environment and file, validated at once; the only reader of
 * configuration.
 */
package dev.tally.gateway.config;
