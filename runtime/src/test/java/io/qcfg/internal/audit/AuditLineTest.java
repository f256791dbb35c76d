package io.qcfg.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 (B): audit lines and {@code audit.head} are written and the log's end read with
 * jackson-core alone. The bytes equal those of the databind tree model the log was written with
 * before (kept here as the reference), and a log begun by the old writer verifies after the new
 * one continued it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AuditLineTest {
  @TempDir Path tmp;

  static final Instant T = Instant.parse("2026-12-04T10:15:30.123456Z");

  static List<AuditEvent> events() {
    Map<String, String> details = new TreeMap<>(Map.of("reason", "denied \"x\"\n\ttab",
        "b", "ünïcødé 😀", "a", "\u0001ctl"));
    return List.of(
        AuditEvent.of(AuditEvent.Type.STARTUP, "qcfg", "startup"),
        AuditEvent.of(AuditEvent.Type.APPLIED, "qcfg", "file-change: a.conf \u2028 \\ /")
            .withVersions(7L, 8L).withPaths(List.of("a.b", "\"quoted\".c", "ü")),
        AuditEvent.of(AuditEvent.Type.REJECTED, "jmx:admin", "reload")
            .withVersions(Long.MAX_VALUE - 1, null)
            .withProblems(List.of("config/a.conf:1: x: expected int, found \"y\"", "")),
        AuditEvent.of(AuditEvent.Type.ACCESS_DENIED, "me", "setOverride").withDetails(details));
  }

  /** The writer before issue 16, verbatim but for the names. */
  static byte[] oldRender(AuditEvent e, Instant time, long seq, String prev) throws Exception {
    ObjectNode n = AuditFormat.Json.MAPPER.createObjectNode();
    n.put("seq", seq);
    n.put("time", time.toString());
    n.put("event", e.type().wireName());
    n.put("actor", e.actor());
    n.put("cause", e.cause());
    if (e.version() != null) {
      n.put("version", e.version());
    }
    if (e.fromVersion() != null) {
      n.put("fromVersion", e.fromVersion());
    }
    if (!e.paths().isEmpty()) {
      ArrayNode a = n.putArray("paths");
      e.paths().forEach(a::add);
    }
    if (!e.problems().isEmpty()) {
      ArrayNode a = n.putArray("problems");
      e.problems().forEach(a::add);
    }
    if (!e.details().isEmpty()) {
      ObjectNode d = n.putObject("details");
      e.details().forEach(d::put);
    }
    n.put("prev", prev);
    return AuditFormat.Json.MAPPER.writeValueAsBytes(n);
  }

  static String oldHead(long seq, String hash, long first) {
    ObjectNode node = AuditFormat.Json.MAPPER.createObjectNode();
    node.put("seq", seq);
    node.put("hash", hash);
    node.put("first", first);
    return node.toString();
  }

  @Test
  void linesAndHeadAreByteIdenticalToTheDatabindWriter() throws Exception {
    long seq = 1;
    for (AuditEvent e : events()) {
      assertThat(new String(AuditLine.render(e, T, seq, AuditFormat.GENESIS),
          StandardCharsets.UTF_8))
          .isEqualTo(new String(oldRender(e, T, seq, AuditFormat.GENESIS), StandardCharsets.UTF_8));
      assertThat(AuditLine.render(e, T, seq, AuditFormat.GENESIS))
          .isEqualTo(oldRender(e, T, seq, AuditFormat.GENESIS));
      seq += 1_000_000_007L;
    }
    String hash = AuditFormat.sha256(new byte[] {1});
    assertThat(AuditLine.head(42, hash, 3)).isEqualTo(oldHead(42, hash, 3));
  }

  /**
   * Differential: whether a line is written without jackson-core (every string plain) or with its
   * generator (a string to escape), its bytes are the databind writer's.
   */
  @Property(tries = 800)
  void anyEventIsByteIdenticalToTheDatabindWriter(@ForAll("anyEvents") AuditEvent e,
      @ForAll("texts") String prev) throws Exception {
    assertThat(AuditLine.render(e, T, 42, prev)).isEqualTo(oldRender(e, T, 42, prev));
  }

  @Provide
  Arbitrary<AuditEvent> anyEvents() {
    Arbitrary<String> t = io.qcfg.internal.text.JsonTexts.texts();
    Arbitrary<Long> version = Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.3);
    return Combinators.combine(Arbitraries.of(AuditEvent.Type.class), t, t, version, version,
        t.list().ofMaxSize(3), t.list().ofMaxSize(2), Arbitraries.maps(t, t).ofMaxSize(3))
        .as((type, actor, cause, v, from, paths, problems, details) ->
            AuditEvent.of(type, actor, cause).withVersions(from, v).withPaths(paths)
                .withProblems(problems).withDetails(new TreeMap<>(details)));
  }

  @Provide
  Arbitrary<String> texts() {
    return io.qcfg.internal.text.JsonTexts.texts();
  }

  @Test
  void theStreamingReaderFindsWhatTheTreeModelFound() throws Exception {
    byte[] line = oldRender(events().get(1), T, 9, "ab".repeat(32));
    AuditLine.Fields f = AuditLine.read(line);
    assertThat(f.seq()).isEqualTo(9);
    assertThat(f.prev()).isEqualTo("ab".repeat(32));
    assertThat(f.version()).isEqualTo(8);
    assertThat(f.fromVersion()).isEqualTo(7);
    AuditFormat.Head h = AuditFormat.parseHead(
        (oldHead(5, "cd".repeat(32), 2) + "\n").getBytes(StandardCharsets.UTF_8));
    assertThat(h).isEqualTo(new AuditFormat.Head(5, "cd".repeat(32), 2));
  }

  @Test
  void aLogBegunByTheOldWriterVerifiesAfterTheNewOneContinuedIt() throws Exception {
    Path state = Files.createDirectories(tmp.resolve("state"));
    List<byte[]> lines = new ArrayList<>();
    String prev = AuditFormat.GENESIS;
    long seq = 1;
    for (AuditEvent e : events()) {
      byte[] line = oldRender(e, T, seq++, prev);
      lines.add(line);
      prev = AuditFormat.sha256(line);
    }
    StringBuilder log = new StringBuilder();
    for (byte[] l : lines) {
      log.append(new String(l, StandardCharsets.UTF_8)).append('\n');
    }
    Files.writeString(state.resolve(AuditFormat.ACTIVE), log);
    Files.writeString(state.resolve(AuditFormat.HEAD), oldHead(seq - 1, prev, 1) + "\n");
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    assertThat(audit.headIntactAtOpen()).isTrue();
    assertThat(audit.lastVersionAtOpen()).isEqualTo(Long.MAX_VALUE - 1);
    audit.append(AuditEvent.of(AuditEvent.Type.STARTUP, "qcfg", "startup")
        .withVersions(null, Long.MAX_VALUE - 1));
    assertThat(audit.healthy()).isTrue();
    AuditVerifier.Result r = AuditVerifier.verify(state);
    assertThat(r.ok()).as(r.describe()).isTrue();
    assertThat(r.linesChecked()).isEqualTo(5);
  }
}
