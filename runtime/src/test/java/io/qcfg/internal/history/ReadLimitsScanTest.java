package io.qcfg.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.typesafe.config.ConfigObject;
import io.qcfg.internal.snapshot.Canonical;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16: the entry tree check proves a candidate's tree within history's read limits without
 * jackson-core. Differential against Jackson itself ({@link EntryTree#parse(String,
 * StreamReadConstraints)}, the check it stands in for): on trees rendered as candidates are
 * (Typesafe's concise rendering of generated trees with quotes, escapes, control and non-ASCII
 * characters, long numbers, deep nesting), under small random limits, "within" is never said of a
 * tree Jackson refuses.
 */
class ReadLimitsScanTest {

  @Property(tries = 1500)
  void neverSaysWithinOfATreeJacksonRefuses(@ForAll("trees") ConfigObject tree,
      @ForAll @IntRange(min = 1, max = 6) int depth, @ForAll @IntRange(min = 1, max = 24) int text,
      @ForAll @IntRange(min = 1, max = 24) int name, @ForAll @IntRange(min = 1, max = 24) int number) {
    StreamReadConstraints entry = StreamReadConstraints.builder().maxNestingDepth(depth + 1)
        .maxStringLength(text).maxNameLength(name).maxNumberLength(number).build();
    String json = Canonical.render(tree);
    StreamReadConstraints treeLimits = entry.rebuild().maxNestingDepth(depth).build();
    if (ReadLimitsScan.within(json, treeLimits)) {
      assertThatCode(() -> EntryTree.parse(json, entry)).as(json).doesNotThrowAnyException();
    }
  }

  /** Under Jackson's own limits every generated tree fits, and the scan proves it (no Jackson). */
  @Property(tries = 300)
  void provesOrdinaryTreesWithinTheDefaults(@ForAll("trees") ConfigObject tree) throws Exception {
    String json = Canonical.render(tree);
    StreamReadConstraints d = StreamReadConstraints.defaults();
    assertThat(ReadLimitsScan.within(json,
        d.rebuild().maxNestingDepth(d.getMaxNestingDepth() - 1).build())).as(json).isTrue();
    assertThat(EntryTree.parse(json).json()).isEqualTo(json);
  }

  /** Any text at all: an answer, never an exception (what it is not sure of is Jackson's). */
  @Property(tries = 500)
  void anyTextGetsAnAnswer(@ForAll("jsonish") String text) {
    assertThatCode(() -> ReadLimitsScan.within(text, StreamReadConstraints.defaults()))
        .doesNotThrowAnyException();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void atEachLimitWithinOneOverNot() {
    StreamReadConstraints small = StreamReadConstraints.builder().maxNestingDepth(3)
        .maxStringLength(5).maxNameLength(5).maxNumberLength(4).build();
    assertThat(ReadLimitsScan.within("{\"a\":{\"b\":{\"c\":1}}}", small)).isTrue();
    assertThat(ReadLimitsScan.within("{\"a\":{\"b\":{\"c\":[1]}}}", small)).isFalse();
    assertThat(ReadLimitsScan.within("{\"abcde\":\"vwxyz\"}", small)).isTrue();
    assertThat(ReadLimitsScan.within("{\"abcdef\":1}", small)).isFalse();
    assertThat(ReadLimitsScan.within("{\"a\":\"vwxyz1\"}", small)).isFalse();
    assertThat(ReadLimitsScan.within("{\"a\":1234,\"b\":-1.5}", small)).isTrue();
    assertThat(ReadLimitsScan.within("{\"a\":12345}", small)).isFalse();
    assertThat(ReadLimitsScan.within("{\"a\":\"x\\\"}\"}", small)).as("escaped quote").isTrue();
    assertThat(ReadLimitsScan.within("{\"a\":1}}", small)).as("after the root").isFalse();
    assertThat(ReadLimitsScan.within("", small)).isFalse();
    assertThat(ReadLimitsScan.within("{\"a\":\"open", small)).isFalse();
    assertThat(ReadLimitsScan.within("{}", StreamReadConstraints.builder()
        .maxDocumentLength(100).build())).as("a document limit is Jackson's to check").isFalse();
  }

  @Provide
  Arbitrary<ConfigObject> trees() {
    return CanonicalTrees.trees();
  }

  @Provide
  Arbitrary<String> jsonish() {
    return Arbitraries.strings().withChars("{}[]\"\\:,0123456789.eE+-ab \n").ofMaxLength(40);
  }
}
