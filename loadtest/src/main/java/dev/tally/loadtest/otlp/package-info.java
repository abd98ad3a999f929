/** OTLP load: realistic export requests and the native OTLP/gRPC (HTTP/2) driver. */
package dev.tally.loadtest.otlp;
