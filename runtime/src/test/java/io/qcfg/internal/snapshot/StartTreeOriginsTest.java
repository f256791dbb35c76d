package io.qcfg.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 16: the start tree's table of origins (format 3) keeps a merged origin's description as
 * its parts, and gives back every description exactly as it was written, whatever its text (the
 * snapshot's origins, renderings and problems are the full build's: {@link
 * StartTreePropertiesTest}); the descriptions Typesafe gives merged objects are the ones kept in
 * parts, and a file of them is several times smaller.
 */
class StartTreeOriginsTest {
  // Parts of descriptions, with what would trip a parser: commas, colons, digits, "merge of".
  static final List<String> PIECES = List.of("a.conf", "secrets/b.conf", "x, y.conf", "c.conf: 7",
      "d: 0", "d: 007", ": ", ",", "merge of ", "", " ", "e.conf: 12a", "ü.conf", "f: -1",
      "g: 1234567890", "12");

  @Provide
  Arbitrary<List<String>> descriptions() {
    Arbitrary<String> part = Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(3)
        .map(l -> String.join("", l));
    Arbitrary<String> merged = part.list().ofMinSize(1).ofMaxSize(5)
        .map(l -> StartTreeOrigins.MERGE_OF + String.join(",", l));
    Arbitrary<String> typesafe = Arbitraries.of("a.conf", "b/c.conf", "d,e.conf").list()
        .ofMinSize(1).ofMaxSize(5).flatMap(files -> Arbitraries.integers().between(1, 5000)
            .list().ofSize(files.size()).map(lines -> {
              List<String> parts = new ArrayList<>();
              for (int i = 0; i < files.size(); i++) {
                parts.add(files.get(i) + ": " + lines.get(i));
              }
              return StartTreeOrigins.MERGE_OF + String.join(",", parts);
            }));
    return Arbitraries.oneOf(part, merged, typesafe).list().ofMaxSize(12).uniqueElements();
  }

  @Property(tries = 500)
  void everyDescriptionComesBackAsWritten(@ForAll("descriptions") List<String> written) {
    StartTreeOrigins read = roundTrip(written);
    for (int i = 0; i < written.size(); i++) {
      assertThat(read.description(i)).as("entry " + i).isEqualTo(written.get(i));
      assertThat(read.get(read.key(i, 0)).description()).isEqualTo(written.get(i));
    }
  }

  @Example
  void typesafesMergedDescriptionsAreKeptInParts() {
    Config merged = parse("c.conf", "m.s.x = 3\n").withFallback(parse("b.conf", "\n\nm.s.y = 2\n"))
        .withFallback(parse("a.conf", "m.s.z = 1\n"));
    String d = StartTree.fileOf(merged.getValue("m.s").origin());
    assertThat(d).startsWith(StartTreeOrigins.MERGE_OF).contains("a.conf").contains("b.conf");
    assertThat(StartTreeOrigins.parts(d, new LinkedHashMap<>())).isNotNull();

    List<String> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add("merge of secrets/x.conf: " + i + ",environments/staging.conf: " + (i + 1)
          + ",application.conf");
    }
    StartTree.Out out = new StartTree.Out(1024);
    StartTreeOrigins.write(out, many);
    int text = many.stream().mapToInt(s -> s.length() + 2).sum();
    assertThat(out.size()).isLessThan(text / 5);
    StartTreeOrigins read = roundTrip(many);
    assertThat(read.description(999)).isEqualTo(many.get(999));
  }

  @Example
  void aDescriptionThatIsNoMergeIsKeptAsText() {
    assertThat(StartTreeOrigins.parts("application.conf", new LinkedHashMap<>())).isNull();
    assertThat(StartTreeOrigins.parts("merge of a: 01", new LinkedHashMap<>())).isNotNull();
    assertThat(roundTrip(List.of("merge of a: 01")).description(0)).isEqualTo("merge of a: 01");
  }

  private static StartTreeOrigins roundTrip(List<String> written) {
    StartTree.Out out = new StartTree.Out(1024);
    StartTreeOrigins.write(out, written);
    byte[] b = out.toByteArray();
    StartTreeBytes in = new StartTreeBytes(b, b.length);
    StartTreeOrigins read = StartTreeOrigins.read(in);
    assertThat(in.remaining()).isZero();
    return read;
  }

  private static Config parse(String name, String text) {
    return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(
        name));
  }
}
