package dev.tally.verticles.history;

import dev.tally.protocol.promql.Labels;
import java.util.List;

/**
 * What a rule group's recording rules gave at one evaluation, for the history to write as the
 * group's source: each series' labels (the record's name among them) and value. Empty when they
 * gave nothing, so that the series they gave before get stale markers.
 */
public record RecordedSamples(int source, long time, List<Labels> labels, double[] values) {}
