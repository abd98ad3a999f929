package dev.tally.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the warm-up stops, and what it sends. */
class WarmUpTest {
  private static final String IDLE =
      "Current compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n\n";

  private static final String COMPILING =
      "Current compiles: \n"
          + "C2 CompilerThread0  4255   !   4       io.netty.Foo::bar (334 bytes)\n\n"
          + "C1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n\n";

  private static final String QUEUED =
      "Current compiles: \n\nC1 compile queue:\nEmpty\n\n"
          + "C2 compile queue:\n4075       4       io.netty.Foo::baz (23 bytes)\n\n";

  @Test
  void idleMeansNothingCompilingAndEveryQueueEmpty() {
    assertThat(WarmUp.Settling.idle(IDLE)).isTrue();
    assertThat(WarmUp.Settling.idle(IDLE.replace("\n", "\r\n"))).isTrue();
    assertThat(WarmUp.Settling.idle(COMPILING)).isFalse();
    assertThat(WarmUp.Settling.idle(QUEUED)).isFalse();
    assertThat(WarmUp.Settling.idle("")).as("an answer of another shape").isFalse();
    assertThat(WarmUp.Settling.idle("Unknown diagnostic command")).isFalse();
  }

  @Test
  void settledOnlyAfterAWholeWindowOfIdleLooks() {
    Deque<String> answers =
        new ArrayDeque<>(List.of(IDLE, IDLE, QUEUED, IDLE, IDLE, IDLE, IDLE, COMPILING));
    WarmUp.Settling settling = new WarmUp.Settling(answers::poll, 300);
    assertThat(settling.settled(0)).isFalse();
    assertThat(settling.settled(100)).isFalse();
    assertThat(settling.settled(200)).as("a queued compilation starts the window again").isFalse();
    assertThat(settling.settled(300)).isFalse();
    assertThat(settling.settled(400)).isFalse();
    assertThat(settling.settled(500)).isFalse();
    assertThat(settling.settled(600)).as("idle at every look from 300 to 600").isTrue();
    assertThat(settling.settled(700)).isFalse();
    assertThat(settling.settled(800)).as("no answer: never settled").isFalse();
  }

  @Test
  void thisJvmAnswersTheCompilerQueueCommand() {
    String answer = WarmUp.Settling.queueOfThisJvm();
    assertThat(answer).contains("Current compiles:").contains("compile queue:");
  }

  @Test
  void eachGenerationNamesSeriesOfItsOwn() {
    List<ByteBuffer> first = WarmUp.datagrams(0);
    List<ByteBuffer> second = WarmUp.datagrams(1);
    String a = StandardCharsets.US_ASCII.decode(first.get(0)).toString();
    String b = StandardCharsets.US_ASCII.decode(second.get(0)).toString();
    assertThat(first).hasSize(WarmUp.SERIES / 20);
    assertThat(a.lines()).hasSize(20).allMatch(l -> l.startsWith("warm.up.g0.m"));
    assertThat(b.lines()).allMatch(l -> l.startsWith("warm.up.g1.m"));
  }
}
