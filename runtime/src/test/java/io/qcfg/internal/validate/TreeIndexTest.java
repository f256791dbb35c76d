package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueType;
import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.crypto.SecretPaths;
import io.qcfg.internal.snapshot.Canonical;
import io.qcfg.internal.snapshot.TreeIndex;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.Leaves;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.json.JSONObject;

/**
 * Differential: the one-walk {@link TreeIndex} gives what the separate walks it replaced gave
 * (Canonical's keyed checksum, collectLeaves, the secret leaves, the secret values the redactor
 * learns, SchemaValidator's org.json tree) on random trees with secrets, lists of objects,
 * numeric keys, quoted keys, empty objects and lists, nulls and exact numbers.
 */
class TreeIndexTest {
  static final ChecksumKey KEY;

  static {
    try {
      KEY = ChecksumKey.of(null, Files.createTempDirectory("qcfg-treeindex-"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static final List<String> KEYS =
      List.of("a", "b", "port", "password", "apiKey", "0", "2", "10", "\"x.y\"", "\"sp ace\"",
          "tokens", "monkey", "db-url");
  static final List<String> SCALARS =
      List.of("1", "-7", "2147483648", "1.50", "1e3", "0.1", "99999999999999999999", "true",
          "null", "\"s\"", "\"q\\\"uote\"", "\"üñ\"", "unquoted", "\"\"", "30s");

  @Provide
  Arbitrary<String> trees() {
    return object(3);
  }

  private Arbitrary<String> object(int depth) {
    Arbitrary<String> entry =
        Arbitraries.of(KEYS).flatMap(k -> value(depth).map(v -> k + " = " + v));
    return entry.list().ofMaxSize(5).map(es -> "{" + String.join("\n", es) + "}");
  }

  private Arbitrary<String> value(int depth) {
    Arbitrary<String> scalar = Arbitraries.of(SCALARS);
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> list =
        Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(3)
            .map(vs -> "[" + String.join(", ", vs) + "]");
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, scalar),
        net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> object(depth - 1))),
        net.jqwik.api.Tuple.of(1, list));
  }

  @Property(tries = 300)
  void oneWalkEqualsTheSeparateWalks(@ForAll("trees") String text,
      @ForAll boolean withMarks) {
    ConfigObject root = ConfigFactory.parseString(text).resolve().root();
    SecretPaths base = withMarks
        ? SecretPaths.of(List.of("b"), List.of("a.0"), List.of("*.port"))
        : SecretPaths.of(List.of(), List.of(), List.of());

    TreeIndex index = TreeIndex.of(root, base, KEY, true, null);

    // The separate walks as Pipeline did them before.
    Set<String> leaves = new TreeSet<>();
    Leaves.collectLeaves(root, "", (p, v) -> leaves.add(p));
    SecretPaths withLeaves = base.withLeaves(leaves);
    Predicate<String> secret = withLeaves::isSecret;
    assertThat(index.checksum()).isEqualTo(Canonical.checksum(root, secret, KEY));
    assertThat(new TreeSet<>(index.leaves().keySet())).isEqualTo(leaves);
    assertThat(new TreeSet<>(index.secretLeaves())).isEqualTo(withLeaves.secretLeaves(leaves));
    SecretPaths indexed = base.withSecretLeaves(index.secretLeaves());
    for (String p : leaves) {
      assertThat(indexed.isSecret(p)).as(p).isEqualTo(withLeaves.isSecret(p));
      int dot = p.lastIndexOf('.');
      if (dot > 0) {
        String parent = p.substring(0, dot);
        assertThat(indexed.isSecret(parent)).as(parent).isEqualTo(withLeaves.isSecret(parent));
      }
    }
    List<String> remembered = new ArrayList<>();
    forEachScalar(root, "", (p, v) -> {
      if (v.valueType() != ConfigValueType.NULL && secret.test(p)) {
        remembered.add(String.valueOf(v.unwrapped()));
      }
    });
    assertThat(index.secretValues()).containsExactlyInAnyOrderElementsOf(remembered);
    JSONObject expected = (JSONObject) SchemaValidator.toJson(root);
    assertThat(index.json().similar(expected)).as(index.json() + " vs " + expected).isTrue();
    assertThat(index.nonFinite()).isEmpty();
  }

  /**
   * The sealed text the walk writes is the snapshot's render of its sealed tree, with the
   * snapshot's own secret rule (the walk's rule with its secret leaves), on trees whose secrets
   * sit in objects, in lists, inside lists and on empty objects.
   */
  @Property(tries = 300)
  void theWrittenSealedTextIsTheRenderedOne(@ForAll("trees") String text,
      @ForAll boolean withMarks) {
    ConfigObject root = ConfigFactory.parseString(text).resolve().root();
    SecretPaths base = withMarks
        ? SecretPaths.of(List.of("b", "a.0"), List.of("tokens"), List.of("*.port", "*.*.0"))
        : SecretPaths.of(List.of(), List.of(), List.of());

    TreeIndex index = TreeIndex.of(root, base, KEY, withMarks, null);

    Predicate<String> snapshotRule = base.withSecretLeaves(index.secretLeaves())::isSecret;
    String rendered = Canonical.render(Canonical.sealed(root, "", snapshotRule, Set.of()));
    assertThat(index.sealedJson()).isEqualTo(rendered);
    Set<String> holding = new TreeSet<>();
    Leaves.collectLeaves(root, "", (p, v) -> {
      if (v instanceof com.typesafe.config.ConfigList l && !snapshotRule.test(p)
          && Canonical.holdsSecret(l, p, snapshotRule)) {
        holding.add(p);
      }
    });
    assertThat(new TreeSet<>(index.leavesHoldingSecrets())).isEqualTo(holding);
  }

  @Property(tries = 1)
  void aWalkThatReusedSubtreesLeavesTheSealedTextToTheSnapshot(@ForAll boolean unused) {
    ConfigObject root = ConfigFactory.parseString(
        "a { password = hunter2, port = 1 }, b { c = 2 }").resolve().root();
    SecretPaths rule = SecretPaths.of(List.of(), List.of(), List.of());
    TreeIndex first = TreeIndex.of(root, rule, KEY, false, null, null, List.of());
    assertThat(first.sealedJson()).contains(io.qcfg.internal.snapshot.ConfigSnapshot.SEALED)
        .doesNotContain("hunter2");

    ConfigObject next = root.withValue("b", ConfigFactory.parseString("c = 3").root());
    TreeIndex again = TreeIndex.of(next, rule, KEY, false, first.leaves(), first.memo(),
        List.of());
    assertThat(again.reusedSubtrees()).isPositive();
    assertThat(again.sealedJson()).isNull();
    assertThat(again.leavesHoldingSecrets()).isNull();
  }

  @Property(tries = 50)
  void noSecretsGiveTheUnkeyedChecksum(@ForAll("trees") String text) {
    ConfigObject root = ConfigFactory.parseString(text).resolve().root();
    SecretPaths none = SecretPaths.of(List.of(), List.of(), List.of());
    Set<String> leaves = new TreeSet<>();
    Leaves.collectLeaves(root, "", (p, v) -> leaves.add(p));
    // No secret anywhere (list elements included): the keyed checksum is the plain one.
    if (Canonical.checksum(root, none.withLeaves(leaves)::isSecret, KEY)
        .equals(Canonical.checksum(root))) {
      assertThat(TreeIndex.of(root, none, KEY, false, null).checksum())
          .isEqualTo(Canonical.checksum(root));
    }
  }

  /** ForeignText's walk: into objects and lists, list elements as index segments. */
  private static void forEachScalar(com.typesafe.config.ConfigValue v, String path,
      java.util.function.BiConsumer<String, com.typesafe.config.ConfigValue> out) {
    if (v instanceof ConfigObject o) {
      for (String k : new TreeSet<>(o.keySet())) {
        forEachScalar(o.get(k), path.isEmpty() ? ConfigPaths.quote(k)
            : path + "." + ConfigPaths.quote(k), out);
      }
    } else if (v instanceof com.typesafe.config.ConfigList l) {
      for (int i = 0; i < l.size(); i++) {
        forEachScalar(l.get(i), path + "." + i, out);
      }
    } else {
      out.accept(path, v);
    }
  }

  @Property(tries = 1)
  void numbersBeyondADoubleAreReported(@ForAll boolean unused) {
    ConfigObject root = ConfigFactory.parseString("a { b = 1e400, c = [1, 1e999] }").root();
    TreeIndex index = TreeIndex.of(root, SecretPaths.of(List.of(), List.of(), List.of()), KEY,
        false, null);
    assertThat(index.nonFinite()).extracting(p -> p.path()).containsExactlyInAnyOrder("a.b", "a.c.1");
  }
}
