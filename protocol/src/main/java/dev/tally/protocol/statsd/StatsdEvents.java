package dev.tally.protocol.statsd;

import dev.tally.protocol.model.LogEntry;
import dev.tally.protocol.model.LogSeverity;
import dev.tally.protocol.model.Pairs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A DogStatsD event ({@code _e{<title length>,<text
 * length>}:<title>|<text>[|d:<seconds>][|h:<host>][|k:<key>][|p:<priority>][|s:<source>][|t:<alert
 * type>][|#<tags>]}) as a log record: the body is the title and the text ({@code \\n} in the text
 * is a new line), the alert type gives the severity ({@code error}, {@code warning}, else info),
 * the tag {@code service} the service (DogStatsD's unified service tagging), {@code d:} the
 * record's time, and every other field and tag becomes an attribute. The parser has already checked
 * the lengths.
 */
public final class StatsdEvents {

  private StatsdEvents() {}

  /**
   * The log record of the valid event at {@code b[from, to)}.
   *
   * @param nowNanos the arrival time, epoch nanoseconds, unless the event has {@code d:}
   */
  public static LogEntry toLogEntry(byte[] b, int from, int to, long nowNanos) {
    int comma = StatsdLineParser.indexOf(b, (byte) ',', from + 3, to);
    int close = StatsdLineParser.indexOf(b, (byte) '}', comma, to);
    int titleLen = (int) Decimals.parseLong(b, from + 3, comma);
    int textLen = (int) Decimals.parseLong(b, comma + 1, close);
    int titleFrom = close + 2;
    int textFrom = titleFrom + titleLen + 1;
    String title = new String(b, titleFrom, titleLen, StandardCharsets.UTF_8);
    String text = new String(b, textFrom, textLen, StandardCharsets.UTF_8).replace("\\n", "\n");
    List<String> attributes = new ArrayList<>();
    attributes.add(LogEntry.EVENT_TITLE);
    attributes.add(title);
    long time = nowNanos;
    int severity = LogSeverity.INFO.lowest();
    String alertType = "";
    String service = "";
    int i = textFrom + textLen;
    while (i < to) { // at a '|'
      int end = StatsdLineParser.indexOf(b, (byte) '|', i + 1, to);
      String field = new String(b, i + 1, end - i - 1, StandardCharsets.UTF_8);
      if (field.startsWith("#")) {
        for (String tag : field.substring(1).split(",")) {
          if (!tag.isEmpty()) {
            int colon = tag.indexOf(':');
            String key = colon < 0 ? tag : tag.substring(0, colon);
            String value = colon < 0 ? "true" : tag.substring(colon + 1);
            attributes.add(key);
            attributes.add(value);
            if (key.equals("service")) {
              service = value;
            }
          }
        }
      } else if (field.length() >= 2 && field.charAt(1) == ':') {
        String value = field.substring(2);
        switch (field.charAt(0)) {
          case 'd':
            try {
              time = Long.parseLong(value) * 1_000_000_000L;
            } catch (NumberFormatException e) {
              // keep the arrival time
            }
            break;
          case 'h':
            attributes.add("host.name");
            attributes.add(value);
            break;
          case 'k':
            attributes.add(LogEntry.EVENT_AGGREGATION_KEY);
            attributes.add(value);
            break;
          case 'p':
            attributes.add("event.priority");
            attributes.add(value);
            break;
          case 's':
            attributes.add("event.source_type");
            attributes.add(value);
            break;
          case 't':
            alertType = value;
            severity =
                value.equals("error")
                    ? LogSeverity.ERROR.lowest()
                    : value.equals("warning") ? LogSeverity.WARN.lowest() : severity;
            attributes.add("event.alert_type");
            attributes.add(value);
            break;
          default:
            break;
        }
      }
      i = end;
    }
    return new LogEntry(
        time,
        severity,
        alertType,
        service,
        text.isEmpty() ? title : title + "\n" + text,
        attributes.toArray(new String[0]),
        0,
        0,
        0,
        0,
        Pairs.NONE);
  }
}
