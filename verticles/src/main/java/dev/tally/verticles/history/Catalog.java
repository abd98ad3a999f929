package dev.tally.verticles.history;

import dev.tally.protocol.promql.Labels;
import dev.tally.protocol.promql.Matcher;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every series the history holds: an id for each label set, the label set of each id, and the ids
 * of each metric name (selectors almost always name one). One writer adds series; queries read from
 * any thread: an id's labels are in place before the count that covers it is published.
 */
final class Catalog {
  private static final int PAGE = 4096;

  private final Map<Labels, Integer> ids = new ConcurrentHashMap<>();
  private final Map<String, IdList> byName = new ConcurrentHashMap<>();
  private volatile Labels[][] pages = new Labels[16][];
  private volatile int size;

  /** The id of {@code labels}, -1 if the catalog has none. */
  int idOf(Labels labels) {
    Integer id = ids.get(labels);
    return id == null ? -1 : id;
  }

  /** Adds a series under {@code id}, at least the current size (the writer only). */
  void put(int id, Labels labels) {
    Labels[][] p = pages;
    int page = id / PAGE;
    if (page >= p.length) {
      p = Arrays.copyOf(p, Math.max(page + 1, p.length * 2));
    }
    if (p[page] == null) {
      p[page] = new Labels[PAGE];
    }
    p[page][id % PAGE] = labels;
    pages = p;
    ids.put(labels, id);
    byName.computeIfAbsent(labels.metricName(), n -> new IdList()).add(id);
    size = Math.max(size, id + 1);
  }

  /** The labels of {@code id}; null for one not (or no longer) known. */
  Labels labels(int id) {
    if (id >= size) {
      return null;
    }
    Labels[] page = pages[id / PAGE];
    return page == null ? null : page[id % PAGE];
  }

  int size() {
    return size;
  }

  /** The ids of the series every matcher matches, ascending. */
  int[] select(List<Matcher> matchers) {
    Matcher byMetric = null;
    for (Matcher m : matchers) {
      if (m.name().equals(Labels.NAME) && m.op() == Matcher.Op.EQ) {
        byMetric = m;
      }
    }
    IdList.Snapshot candidates = null;
    if (byMetric != null) {
      IdList l = byName.get(byMetric.value());
      if (l == null) {
        return new int[0];
      }
      candidates = l.snapshot();
    }
    int n = candidates == null ? size : candidates.size();
    int[] out = new int[Math.min(n, 1024)];
    int found = 0;
    for (int i = 0; i < n; i++) {
      int id = candidates == null ? i : candidates.get(i);
      Labels l = labels(id);
      if (l == null) {
        continue;
      }
      boolean all = true;
      for (Matcher m : matchers) {
        if (!m.matches(l)) {
          all = false;
          break;
        }
      }
      if (all) {
        if (found == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        out[found++] = id;
      }
    }
    return Arrays.copyOf(out, found);
  }

  /** A growing list of ints: one writer appends, readers read what a snapshot covers. */
  private static final class IdList {
    private volatile int[] values = new int[4];
    private volatile int size;

    record Snapshot(int[] values, int size) {
      int get(int i) {
        return values[i];
      }
    }

    void add(int v) {
      int[] a = values;
      if (size == a.length) {
        a = Arrays.copyOf(a, a.length * 2);
      }
      a[size] = v;
      values = a;
      size = size + 1;
    }

    Snapshot snapshot() {
      int n = size; // read first: the array read after it holds at least n values
      return new Snapshot(values, n);
    }
  }
}
