/**
 * statsd_exporter's mapping rules: a mapping file read into {@link
 * dev.tally.protocol.statsd.mapping.Mappings}, which turns a StatsD name (and type) into a
 * Prometheus name, labels and per-rule settings, globs by a trie and regexes in file order. No
 * Vert.x; the file's YAML is read by the caller.
 */
package dev.tally.protocol.statsd.mapping;
