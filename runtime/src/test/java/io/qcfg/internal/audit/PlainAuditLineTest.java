package io.qcfg.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential (issue 16): the audit log's end is read without jackson-core when the text is
 * plain. Whatever the plain reader reads, jackson-core's strict parser reads alike; whatever it
 * does not read (null), jackson-core decides. On qcfg's own lines and heads, and on random edits
 * of them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlainAuditLineTest {
  private static final byte[] EDIT_BYTES = "{}[]\",:019-.eE \n\tx\\".getBytes(
      StandardCharsets.US_ASCII);

  /** A line jackson-core rejects is null here; one the plain reader reads, it reads alike. */
  private static void readsAsJacksonCore(byte[] text) {
    AuditLine.Fields plain = PlainAuditLine.read(text);
    if (plain == null) {
      return;
    }
    AuditLine.Fields parsed;
    try {
      parsed = AuditLine.parsed(text);
    } catch (IOException e) {
      throw new AssertionError("read without jackson-core, rejected by it ("
          + e.getMessage() + "): " + new String(text, StandardCharsets.UTF_8));
    }
    assertThat(plain).as(new String(text, StandardCharsets.UTF_8)).isEqualTo(parsed);
  }

  @Property(tries = 1000)
  void everyWrittenLineReadsAsJacksonCoreReadsIt(@ForAll("events") AuditEvent e,
      @ForAll("seqs") long seq) throws Exception {
    byte[] line = AuditLine.render(e, AuditLineTest.T, seq, AuditFormat.GENESIS);
    readsAsJacksonCore(line);
    readsAsJacksonCore(AuditLine.generated(e, AuditLineTest.T, seq, AuditFormat.GENESIS));
  }

  @Property(tries = 300)
  void aLineOfPlainTextsIsReadWithoutJacksonCore(@ForAll("plainEvents") AuditEvent e,
      @ForAll("seqs") long seq) throws Exception {
    byte[] line = AuditLine.render(e, AuditLineTest.T, seq, AuditFormat.GENESIS);
    assertThat(PlainAuditLine.read(line)).isNotNull().isEqualTo(AuditLine.parsed(line));
  }

  @Property(tries = 300)
  void everyHeadIsReadWithoutJacksonCore(@ForAll("seqs") long seq, @ForAll("seqs") long first) {
    String hash = AuditFormat.sha256(Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
    byte[] head = (AuditLine.head(seq, hash, first) + "\n").getBytes(StandardCharsets.US_ASCII);
    assertThat(PlainAuditLine.read(head))
        .isEqualTo(new AuditLine.Fields(seq, null, hash, -1, -1, first));
    readsAsJacksonCore(head);
  }

  /** Random edits of written lines: bytes deleted, inserted, replaced, a slice repeated. */
  @Property(tries = 3000)
  void anEditedLineIsReadAsJacksonCoreReadsItOrLeftToIt(@ForAll("events") AuditEvent e,
      @ForAll("edits") List<int[]> edits) throws Exception {
    byte[] line = AuditLine.render(e, AuditLineTest.T, 12, AuditFormat.GENESIS);
    for (int[] edit : edits) {
      line = edit(line, edit);
    }
    readsAsJacksonCore(line);
  }

  private static byte[] edit(byte[] line, int[] edit) {
    if (line.length == 0) {
      return line;
    }
    int at = Math.floorMod(edit[1], line.length);
    byte b = EDIT_BYTES[Math.floorMod(edit[2], EDIT_BYTES.length)];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(line, 0, at);
    switch (edit[0]) {
      case 0 -> out.write(line, at + 1, line.length - at - 1); // delete
      case 1 -> { // insert
        out.write(b);
        out.write(line, at, line.length - at);
      }
      case 2 -> { // replace
        out.write(b);
        out.write(line, at + 1, line.length - at - 1);
      }
      default -> { // repeat a slice (a key and its value, often: a duplicate key)
        int len = Math.min(Math.floorMod(edit[2], 40) + 1, line.length - at);
        out.write(line, at, len);
        out.write(line, at, line.length - at);
      }
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"seq\":1,\"seq\":2}", // a duplicate key
      "{\"seq\":1,\"details\":{\"a\":\"x\",\"a\":\"y\"}}", // a duplicate nested key
      "{\"seq\":01}", "{\"seq\":1.0}", "{\"seq\":1e3}", "{\"seq\":-1}",
      "{\"seq\":9223372036854775808}", // beyond a long
      "{\"seq\": 1}", " {\"seq\":1}", "{\"seq\":1}x", "{\"seq\":1}\n\n",
      "{\"cause\":\"a\\\"b\",\"seq\":1}", // an escape
      "{\"seq\":1,}", "{\"seq\":1", "{\"paths\":[\"a\",]}", "{\"seq\":true}", "{\"prev\":1}",
      "\ufeff{\"seq\":1}", "[]", ""})
  void whatIsNotPlainIsLeftToJacksonCore(String text) {
    assertThat(PlainAuditLine.read(text.getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void invalidUtf8IsLeftToJacksonCore() {
    byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xc0, (byte) 0x80, '"', '}'};
    assertThat(PlainAuditLine.read(overlong)).isNull();
    byte[] cut = {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '"', '}'};
    assertThat(PlainAuditLine.read(cut)).isNull();
  }

  @Test
  void theLargestVersionAndEveryValueShapeAreRead() throws Exception {
    String text = "{\"seq\":0,\"x\":{},\"y\":[],\"version\":9223372036854775807,\"paths\":[\"ü 😀\","
        + "\"\u007f\"],\"details\":{\"a\":\"1\",\"b\":\"2\"},\"prev\":\"p\"}";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    assertThat(PlainAuditLine.read(bytes))
        .isEqualTo(new AuditLine.Fields(0, "p", null, Long.MAX_VALUE, -1, -1))
        .isEqualTo(AuditLine.parsed(bytes));
  }

  @Provide
  Arbitrary<AuditEvent> events() {
    return new AuditLineTest().anyEvents();
  }

  @Provide
  Arbitrary<AuditEvent> plainEvents() {
    Arbitrary<String> t = Arbitraries.strings().withChars("qcfg-:. /0aZ~ü\u00a0").ofMaxLength(10);
    Arbitrary<Long> version = Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.3);
    return Combinators.combine(Arbitraries.of(AuditEvent.Type.class), t, t, version, version,
        t.list().ofMaxSize(3), Arbitraries.maps(t, t).ofMaxSize(3))
        .as((type, actor, cause, v, from, paths, details) -> AuditEvent.of(type, actor, cause)
            .withVersions(from, v).withPaths(paths)
            .withDetails(new java.util.TreeMap<>(details)));
  }

  @Provide
  Arbitrary<Long> seqs() {
    return Arbitraries.oneOf(Arbitraries.longs().between(0, 1000),
        Arbitraries.longs().between(0, Long.MAX_VALUE));
  }

  @Provide
  Arbitrary<List<int[]>> edits() {
    Arbitrary<int[]> one = Combinators.combine(Arbitraries.integers().between(0, 3),
        Arbitraries.integers(), Arbitraries.integers())
        .as((kind, at, b) -> new int[] {kind, at, b});
    return one.list().ofMinSize(1).ofMaxSize(3);
  }
}
