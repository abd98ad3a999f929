package dev.tally.protocol.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteWriteEncoderTest {
  /** One decoded TimeSeries: its labels as name=value in the order sent, and its samples. */
  record Series(List<String> labels, List<double[]> samples) {}

  /** Decodes a WriteRequest with protobuf's wire reader, independently of the encoder. */
  static List<Series> decode(byte[] bytes) throws IOException {
    List<Series> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      assertThat(tag).isEqualTo((1 << 3) | 2);
      CodedInputStream ts = CodedInputStream.newInstance(in.readByteArray());
      List<String> labels = new ArrayList<>();
      List<double[]> samples = new ArrayList<>();
      for (int t = ts.readTag(); t != 0; t = ts.readTag()) {
        CodedInputStream m = CodedInputStream.newInstance(ts.readByteArray());
        if (t == ((1 << 3) | 2)) {
          String name = null;
          String value = null;
          for (int f = m.readTag(); f != 0; f = m.readTag()) {
            if (f == ((1 << 3) | 2)) {
              name = m.readString();
            } else {
              assertThat(f).isEqualTo((2 << 3) | 2);
              value = m.readString();
            }
          }
          labels.add(name + "=" + value);
        } else {
          assertThat(t).isEqualTo((2 << 3) | 2);
          double value = 0;
          long millis = 0;
          for (int f = m.readTag(); f != 0; f = m.readTag()) {
            if (f == ((1 << 3) | 1)) {
              value = m.readDouble();
            } else {
              assertThat(f).isEqualTo(2 << 3);
              millis = m.readInt64();
            }
          }
          samples.add(new double[] {value, millis});
        }
      }
      out.add(new Series(labels, samples));
    }
    return out;
  }

  @Test
  void labelsAreSortedWithTheNameAndTheSamplesOwnLabel() throws IOException {
    SeriesKey key =
        SeriesKey.of(
            MetricKind.TIMER, "req", List.of("route", "/cart", "Zone", "eu", "a", "é\"\n"));
    RemoteWriteEncoder encoder = new RemoteWriteEncoder(16);
    encoder.series(key).sample("req_seconds", "quantile", "0.99", 0.25, 1_700_000_000_000L);
    encoder.sample("req_seconds_count", null, null, 3, 1_700_000_000_000L);

    List<Series> sent = decode(encoder.toByteArray());

    assertThat(encoder.samples()).isEqualTo(2);
    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).labels())
        .containsExactly(
            "Zone=eu", "__name__=req_seconds", "a=é\"\n", "quantile=0.99", "route=/cart");
    assertThat(sent.get(0).samples().get(0)).containsExactly(0.25, 1_700_000_000_000d);
    assertThat(sent.get(1).labels())
        .containsExactly("Zone=eu", "__name__=req_seconds_count", "a=é\"\n", "route=/cart");
    assertThat(sent.get(1).samples().get(0)[0]).isEqualTo(3);
  }

  @Test
  void aSeriesLabelNamedLikeTheSamplesOwnIsKeptUnderItsExportedName() throws IOException {
    SeriesKey key = SeriesKey.of(MetricKind.OTLP_HISTOGRAM, "lat", List.of("le", "x", "zz", "1"));
    RemoteWriteEncoder encoder = new RemoteWriteEncoder(64);
    encoder.series(key).sample("lat_bucket", "le", "+Inf", 7, 5);

    assertThat(decode(encoder.toByteArray()).get(0).labels())
        .containsExactly("__name__=lat_bucket", "exported_le=x", "le=+Inf", "zz=1");
  }

  @Test
  void aSeriesWithoutLabelsAndTheStaleMarker() throws IOException {
    RemoteWriteEncoder encoder = new RemoteWriteEncoder(64);
    encoder
        .series(SeriesKey.of(MetricKind.GAUGE, "g", List.of()))
        .sample("g", null, null, RemoteWriteEncoder.STALE_NAN, 9);

    Series s = decode(encoder.toByteArray()).get(0);
    assertThat(s.labels()).containsExactly("__name__=g");
    assertThat(Double.doubleToRawLongBits(s.samples().get(0)[0])).isEqualTo(0x7ff0000000000002L);
  }

  @Test
  void twoEncodingsInARowAreOneRequestOfBoth() throws IOException {
    RemoteWriteEncoder a = new RemoteWriteEncoder(64);
    RemoteWriteEncoder b = new RemoteWriteEncoder(64);
    a.series(SeriesKey.of(MetricKind.COUNTER, "c", List.of("k", "v")))
        .sample("c_total", null, null, 1, 1);
    b.series(SeriesKey.of(MetricKind.COUNTER, "c", List.of("k", "v")))
        .sample("c_total", null, null, 2, 2);
    byte[] both = new byte[a.size() + b.size()];
    System.arraycopy(a.array(), 0, both, 0, a.size());
    System.arraycopy(b.array(), 0, both, a.size(), b.size());

    List<Series> sent = decode(both);
    assertThat(sent).extracting(s -> s.samples().get(0)[0]).containsExactly(1d, 2d);

    a.reset();
    assertThat(a.size()).isZero();
    assertThat(a.samples()).isZero();
  }
}
