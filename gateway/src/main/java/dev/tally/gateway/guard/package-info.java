/**
 * The listeners' own protection, before anything is parsed: a connection limit per listener, a
 * budget of request body bytes held across all OTLP requests, a deadline per request, and a close
 * that does not wait for a client that does not read.
 */
package dev.tally.gateway.guard;
