package io.qcfg.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigObject;
import io.qcfg.internal.snapshot.Canonical;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 (B): history entries are written with jackson-core alone, byte-identical to what the
 * databind tree model wrote (kept here as the reference), and files of either writer read the
 * same through the store (databind) and the fast start's streaming reader.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EntryJsonTest {
  @TempDir Path tmp;

  static final List<String> TREES = List.of(
      "{}",
      "{\"a\":1,\"b\":-0,\"c\":1.50,\"d\":1e400,\"e\":-2.5E-3,\"f\":12345678901234567890123,"
          + "\"g\":9223372036854775807,\"h\":0.1000}",
      "{\"s\":\"quote \\\" backslash \\\\ nl \\n tab \\t ctl \\u0001 uni \u00fc \u2028 "
          + "\ud83d\ude00\",\"t\":true,\"n\":null,\"l\":[1,[2,{\"x\":[]}],\"y\"]}",
      "{ \"spaced\" : [ 1 , 2 ] , \"deep\" : { \"a\" : { \"b\" : 3.0 } } }");

  static HistoryEntry entry(String tree) {
    return new HistoryEntry(3, "ab".repeat(32), "production", "QCFG_ENV",
        Instant.parse("2026-12-04T10:15:30.5Z"), "file-change: \"x\" ü", "jmx:op",
        List.of("config/a.conf", "config/ü.conf"), tree);
  }

  /** The writer before issue 16, verbatim but for the names. */
  static byte[] oldRender(HistoryEntry entry) throws Exception {
    JsonNode tree = HistoryStore.Json.MAPPER.readTree(entry.tree());
    ObjectNode node = HistoryStore.Json.MAPPER.createObjectNode();
    node.put("format", HistoryStore.FORMAT);
    node.put("version", entry.version());
    node.put("checksum", entry.checksum());
    node.put("environment", entry.environment());
    node.put("environmentSource", entry.environmentSource());
    node.put("createdAt", entry.createdAt().toString());
    node.put("cause", entry.cause());
    node.put("actor", entry.actor());
    ArrayNode files = node.putArray("files");
    entry.files().forEach(files::add);
    node.set("tree", tree);
    return HistoryStore.Json.MAPPER.writeValueAsBytes(node);
  }

  @Test
  void entriesAreByteIdenticalToTheDatabindWriter() throws Exception {
    for (String tree : TREES) {
      HistoryEntry e = entry(tree);
      EntryJson.Rendered r = EntryJson.render(e, tree, HistoryStore.FORMAT);
      assertThat(new String(r.bytes(), StandardCharsets.UTF_8))
          .isEqualTo(new String(oldRender(e), StandardCharsets.UTF_8));
      assertThat(r.bytes()).isEqualTo(oldRender(e));
    }
  }

  /**
   * Differential, on trees as candidates render them: the entry is byte-identical to the databind
   * writer's whether its tree is embedded as it is (EntryTreeText) or copied token by token.
   */
  @Property(tries = 600)
  void candidateTreesAreByteIdenticalToTheDatabindWriter(@ForAll("trees") ConfigObject tree)
      throws Exception {
    String json = Canonical.render(tree);
    HistoryEntry e = entry(json);
    assertThat(EntryJson.render(e, json, HistoryStore.FORMAT).bytes()).as(json)
        .isEqualTo(oldRender(e));
    if (EntryTreeText.unchanged(json)) {
      assertThat(EntryJson.copied(json)).isEqualTo(json);
    }
  }

  /** Differential: any header text, plain or to be escaped, is written as databind wrote it. */
  @Property(tries = 500)
  void anyHeaderIsByteIdenticalToTheDatabindWriter(@ForAll("texts") String environment,
      @ForAll("texts") String source, @ForAll("texts") String cause,
      @ForAll("texts") String actor, @ForAll("fileLists") List<String> files) throws Exception {
    String tree = "{\"a\":1}";
    HistoryEntry e = new HistoryEntry(3, "ab".repeat(32), environment, source,
        Instant.parse("2026-12-04T10:15:30.5Z"), cause, actor, files, tree);
    assertThat(EntryJson.render(e, tree, HistoryStore.FORMAT).bytes()).isEqualTo(oldRender(e));
  }

  @Provide
  Arbitrary<String> texts() {
    return io.qcfg.internal.text.JsonTexts.texts();
  }

  @Provide
  Arbitrary<List<String>> fileLists() {
    return io.qcfg.internal.text.JsonTexts.texts().list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<ConfigObject> trees() {
    return CanonicalTrees.trees();
  }

  @Test
  void anOrdinaryTreeIsEmbeddedAsItIsAnythingTheCopySpellsOtherwiseIsCopied() throws Exception {
    for (String plain : List.of("{}", "{\"a\":{\"port\":8080,\"n\":-12,\"big\":123456789012345678901"
        + "234,\"r\":1.50,\"e\":1.5E+3,\"z\":0,\"t\":true,\"f\":false,\"x\":null,\"l\":[\"a b\","
        + "[],{}],\"u\":\"\u00fc \u2028\"}}")) {
      assertThat(EntryTreeText.unchanged(plain)).as(plain).isTrue();
      assertThat(EntryJson.copied(plain)).isEqualTo(plain);
    }
    for (String other : List.of("{\"a\":1e3}", "{\"a\":-0}", "{\"a\":1.0E10}", "{\"a\":\"\\n\"}",
        "{\"a\":\"\ud83d\ude00\"}", "{ \"a\":1}", "{\"a\":01}", "")) {
      assertThat(EntryTreeText.unchanged(other)).as(other).isFalse();
    }
  }

  @Test
  void filesOfEitherWriterReadTheSame() throws Exception {
    for (String tree : TREES) {
      Path oldState = Files.createDirectories(tmp.resolve("old" + TREES.indexOf(tree)));
      Path newState = Files.createDirectories(tmp.resolve("new" + TREES.indexOf(tree)));
      HistoryStore written = HistoryStore.open(newState, 5);
      written.append(entry(tree));
      Files.createDirectories(oldState.resolve("history"));
      Files.write(oldState.resolve("history").resolve(HistoryStore.fileName(3)),
          oldRender(entry(tree)));
      HistoryEntry fromOld = HistoryStore.open(oldState, 5).latest().orElseThrow();
      HistoryEntry fromNew = HistoryStore.open(newState, 5).latest().orElseThrow();
      HistoryEntry streamedOld = HistoryStore.open(oldState, 5).newest().orElseThrow();
      HistoryEntry streamedNew = HistoryStore.open(newState, 5).newest().orElseThrow();
      assertThat(fromNew).isEqualTo(fromOld);
      JsonNode expected = HistoryStore.Json.MAPPER.readTree(tree);
      for (HistoryEntry e : List.of(fromNew, streamedOld, streamedNew, written.latest().orElseThrow())) {
        assertThat(HistoryStore.Json.MAPPER.readTree(e.tree())).isEqualTo(expected);
        assertThat(e.toString()).isEqualTo(fromOld.toString());
      }
    }
  }
}
