/** TLS for the TCP listeners and bearer-token authentication of OTLP, the API and the dashboard. */
package dev.tally.gateway.security;
