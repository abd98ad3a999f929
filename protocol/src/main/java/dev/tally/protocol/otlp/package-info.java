/**
 * Ingest stage, OTLP metrics: decodes export requests (protobuf or JSON, gzip) and maps them, one
 * mapper per proto message, into {@link dev.tally.protocol.otlp.OtlpPoint}s keyed by their
 * Prometheus identity, following the OpenTelemetry "Prometheus and OpenMetrics Compatibility" rules
 * (CONTRACT §3). Bad points are counted with a reason and reported as a partial success (§4).
 */
package dev.tally.protocol.otlp;
