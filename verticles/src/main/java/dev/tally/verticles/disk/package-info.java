/**
 * Records on disk: a segmented log of checksummed records, recovered after a crash by truncating at
 * the first bad one. The export queues and the history's write-ahead log and series catalog use it;
 * one writer per file.
 */
package dev.tally.verticles.disk;
