package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link SecretPaths.Walk}, the index walk's incremental answer, against {@link
 * SecretPaths#isSecret(List)} on the same rule and path (issue 16): random rules of every kind
 * (marked paths, the empty path among them, ENC paths, schema patterns with wildcards) over
 * segments that name credentials or not, asked along a depth-first walk of random paths, as
 * TreeIndex walks a tree (push, ask, go deeper or pop).
 */
class SecretPathsWalkPropertyTest {
  @Property(tries = 3000)
  void theWalkAnswersWhatTheRuleAnswers(@ForAll("paths") List<List<String>> marked,
      @ForAll("paths") List<List<String>> encrypted, @ForAll("patterns") List<List<String>> schema,
      @ForAll("paths") List<List<String>> walked) {
    SecretPaths rule = SecretPaths.of(texts(marked), texts(encrypted), texts(schema));
    SecretPaths.Walk walk = rule.walk();
    List<String> at = new ArrayList<>();
    for (List<String> path : walked) {
      // Up to the common prefix with the path walked before, then down along this one.
      int common = 0;
      while (common < at.size() && common < path.size() && at.get(common).equals(path.get(common))) {
        common++;
      }
      while (at.size() > common) {
        walk.pop();
        at.remove(at.size() - 1);
        assertThat(walk.isSecret()).as("%s under %s %s %s", at, marked, encrypted, schema)
            .isEqualTo(rule.isSecret(List.copyOf(at)));
      }
      for (String seg : path.subList(common, path.size())) {
        walk.push(seg);
        at.add(seg);
        assertThat(walk.path()).isEqualTo(at);
        assertThat(walk.isSecret()).as("%s under %s %s %s", at, marked, encrypted, schema)
            .isEqualTo(rule.isSecret(List.copyOf(at)));
      }
    }
  }

  private static List<String> texts(List<List<String>> paths) {
    return paths.stream().map(p -> String.join(".", p)).toList();
  }

  private static Arbitrary<String> segments() {
    return Arbitraries.of("a", "b", "c", "0", "1", "db", "apiKey", "password", "keyboard",
        "token", "publicKey");
  }

  @Provide
  Arbitrary<List<List<String>>> paths() {
    return segments().list().ofMinSize(0).ofMaxSize(5).list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<List<String>>> patterns() {
    return Arbitraries.oneOf(segments(), Arbitraries.just("*")).list().ofMinSize(1).ofMaxSize(4)
        .list().ofMaxSize(3);
  }
}
