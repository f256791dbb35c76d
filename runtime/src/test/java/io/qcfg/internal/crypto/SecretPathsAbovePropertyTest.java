package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link SecretPaths#of} with marked paths only (rules 1 and 2) against the rule's definition,
 * written out naively: a path is secret when it is a marked path, lies below one or lies above one
 * (segments here never name a credential). Random marked paths share prefixes at every depth, so
 * the index of the paths above marked ones is built in every order (issue 19: it now stops at the
 * first prefix it already holds).
 */
class SecretPathsAbovePropertyTest {
  @Property(tries = 2000)
  void markedPathsTheirParentsAndChildren(@ForAll("paths") List<List<String>> marked,
      @ForAll("paths") List<List<String>> asked) {
    List<String> markedTexts = marked.stream().map(p -> String.join(".", p)).toList();
    SecretPaths rule = SecretPaths.of(markedTexts, List.of(), List.of());
    for (List<List<String>> group : List.of(asked, marked)) {
      for (List<String> q : group) {
        for (int n = 0; n <= q.size(); n++) {
          List<String> path = q.subList(0, n);
          assertThat(rule.isSecret(String.join(".", path))).as("%s under %s", path, marked)
              .isEqualTo(naive(marked, path));
        }
      }
    }
  }

  private static boolean naive(List<List<String>> marked, List<String> path) {
    for (List<String> m : marked) {
      int n = Math.min(m.size(), path.size());
      if (m.subList(0, n).equals(path.subList(0, n))) {
        return true; // equal, below or above
      }
    }
    return false;
  }

  @Provide
  Arbitrary<List<List<String>>> paths() {
    return Arbitraries.of("a", "b", "c", "0", "x1").list().ofMinSize(1).ofMaxSize(5)
        .list().ofMaxSize(12);
  }
}
