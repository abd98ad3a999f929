/**
 * Alert rules and their evaluation on each tick's snapshot (CONTRACT §8): parsing and validation
 * with every error at once, the alert states (pending, firing, resolved), acknowledgement and
 * silences. Logic only, with an injected clock; the alert verticle owns one {@link
 * dev.tally.verticles.alert.AlertEvaluator}.
 */
package dev.tally.verticles.alert;
