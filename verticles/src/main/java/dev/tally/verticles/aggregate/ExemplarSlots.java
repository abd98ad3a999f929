package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.Exemplar;
import java.util.Arrays;

/**
 * The exemplars a series shows: one per bucket of a histogram ({@code +Inf} last), one for other
 * series. A slot holds the newest exemplar given to it, unless only the one it holds links to a
 * trace Tally keeps ({@link Exemplar#replaces}). Made on the first exemplar: most series have none.
 * Confined to its series' shard.
 */
final class ExemplarSlots {
  private final Exemplar[] slots;

  /** What {@link #view()} gave last; null once a slot changed since. */
  private Exemplar[] view;

  ExemplarSlots(int slots) {
    this.slots = new Exemplar[slots];
  }

  /** Offers {@code e} to slot {@code slot} (clamped to the slots there are). */
  void offer(int slot, Exemplar e) {
    int i = Math.max(0, Math.min(slot, slots.length - 1));
    if (e.replaces(slots[i])) {
      slots[i] = e;
      view = null;
    }
  }

  /** True if a slot changed since the last {@link #view()}. */
  boolean changed() {
    return view == null;
  }

  /** The slots as they are now (null where empty): a copy, made again only after a change. */
  Exemplar[] view() {
    if (view == null) {
      view = Arrays.copyOf(slots, slots.length);
    }
    return view;
  }
}
