/**
 * Alert notifications out of the gateway: a generic JSON webhook and the Prometheus Alertmanager
 * API v2, with a bounded queue, retries and backoff.
 */
package dev.tally.gateway.notify;
