package io.qcfg.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.ConfigChange;
import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.Subscription;
import io.qcfg.TypeRef;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 2: default-value and Optional getters, {@link TypeRef}, {@code subtree}, listeners
 * for one path or a prefix, and a {@link Subscription} that closes without a checked exception.
 */
@Timeout(60)
class SnapshotApiTest {
  static final String CONF =
      """
      http { port = 9090, ports = [80, 443] }
      db { url = "jdbc:x", pool-size = 5, timeout = 5s, password = "canary-S3cret"
           replicas { a = 1s, b = 2s } }
      gone = null
      """;

  @TempDir Path dir;

  ConfigSnapshot build(String conf) throws Exception {
    Files.writeString(dir.resolve("application.conf"), conf);
    return new Pipeline(QcfgOptions.defaults(), null, null)
        .build(new LayerStack.Request(dir, new Environment("development", "option"), Map.of(),
            new Properties(), Map.of(), null, null));
  }

  @Test
  void defaultValueGettersAnswerForAbsentAndNullPathsOnly() throws Exception {
    Snapshot s = build(CONF);
    assertThat(s.getInt("http.port", 8080)).isEqualTo(9090);
    assertThat(s.getInt("http.missing", 8080)).isEqualTo(8080);
    assertThat(s.getInt("gone", 7)).isEqualTo(7);
    assertThat(s.getLong("db.pool-size", 1L)).isEqualTo(5L);
    assertThat(s.getDouble("x.y", 0.5)).isEqualTo(0.5);
    assertThat(s.getBoolean("feature.on", true)).isTrue();
    assertThat(s.getString("db.url", "none")).isEqualTo("jdbc:x");
    assertThat(s.getString("db.user", "app")).isEqualTo("app");
    assertThat(s.getDuration("db.timeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.getDuration("db.idle", Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
    // A value of the wrong type is not silently the default.
    assertThatThrownBy(() -> s.getInt("db.url", 1)).isInstanceOf(QcfgException.WrongType.class);
  }

  @Test
  void optionalGettersAndTypeRefs() throws Exception {
    Snapshot s = build(CONF);
    assertThat(s.getOptional("http.port", Integer.class)).contains(9090);
    assertThat(s.getOptional("http.nope", Integer.class)).isEmpty();
    assertThat(s.getOptional("gone", String.class)).isEmpty();
    List<Integer> ports = s.get("http.ports", new TypeRef<List<Integer>>() {});
    assertThat(ports).containsExactly(80, 443);
    Map<String, Duration> replicas = s.get("db.replicas", new TypeRef<Map<String, Duration>>() {});
    assertThat(replicas).containsEntry("b", Duration.ofSeconds(2));
    Optional<List<Integer>> none = s.getOptional("http.other", new TypeRef<List<Integer>>() {});
    assertThat(none).isEmpty();
    assertThat(new TypeRef<List<Integer>>() {}).isEqualTo(new TypeRef<List<Integer>>() {});
    assertThat(new TypeRef<List<Integer>>() {}.type().getTypeName())
        .isEqualTo("java.util.List<java.lang.Integer>");
    assertThatThrownBy(() -> s.getOptional("db.url", Integer.class))
        .isInstanceOf(QcfgException.WrongType.class);
  }

  enum Mode { FAST, SAFE }

  record Node(String host, int port) {}

  @Test
  void typedListsAndMapsForEveryElementType() throws Exception {
    Snapshot s = build(
        """
        ints = [1, 2], longs = [10000000000], doubles = [0.5, 2], bools = [true, false]
        strings = [a, b], durations = [1s, 500ms], modes = [FAST, SAFE]
        nodes = [{ host = a, port = 1 }, { host = b, port = 2 }]
        limits { a = 1, b = 2 }, timeouts { read = 2s }, flags { x = true }
        names { a = x }, byMode { one = SAFE }, nodeMap { n { host = c, port = 3 } }
        """);
    assertThat(s.getList("ints", Integer.class)).containsExactly(1, 2);
    assertThat(s.getList("longs", Long.class)).containsExactly(10_000_000_000L);
    assertThat(s.getList("doubles", Double.class)).containsExactly(0.5, 2.0);
    assertThat(s.getList("bools", Boolean.class)).containsExactly(true, false);
    assertThat(s.getList("strings", String.class)).containsExactly("a", "b");
    assertThat(s.getList("durations", Duration.class))
        .containsExactly(Duration.ofSeconds(1), Duration.ofMillis(500));
    assertThat(s.getList("modes", Mode.class)).containsExactly(Mode.FAST, Mode.SAFE);
    assertThat(s.getList("nodes", Node.class)).containsExactly(new Node("a", 1), new Node("b", 2));
    assertThat(s.getMap("limits", Integer.class)).containsEntry("a", 1).containsEntry("b", 2);
    assertThat(s.getMap("timeouts", Duration.class)).containsEntry("read", Duration.ofSeconds(2));
    assertThat(s.getMap("flags", Boolean.class)).containsEntry("x", true);
    assertThat(s.getMap("names", String.class)).containsEntry("a", "x");
    assertThat(s.getMap("byMode", Mode.class)).containsEntry("one", Mode.SAFE);
    assertThat(s.getMap("nodeMap", Node.class)).containsEntry("n", new Node("c", 3));
    assertThat(s.get("ints", TypeRef.setOf(Integer.class))).containsExactlyInAnyOrder(1, 2);
    assertThatThrownBy(() -> s.getList("ints", Integer.class).add(3))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.getList("strings", Integer.class))
        .isInstanceOf(QcfgException.WrongType.class);
    // A factory-made reference is the same type as a captured one (one memoised lookup).
    assertThat(TypeRef.listOf(Integer.class)).isEqualTo(new TypeRef<List<Integer>>() {});
    assertThat(new TypeRef<List<Integer>>() {}.type()).isEqualTo(TypeRef.listOf(Integer.class).type());
    assertThat(TypeRef.listOf(Integer.class).type().hashCode())
        .isEqualTo(new TypeRef<List<Integer>>() {}.type().hashCode());
    assertThat(TypeRef.mapOf(Duration.class).type().getTypeName())
        .isEqualTo("java.util.Map<java.lang.String, java.time.Duration>");
  }

  @Test
  @SuppressWarnings("rawtypes")
  void aTypeRefWithoutItsArgumentIsRefused() {
    assertThatThrownBy(() -> new TypeRef() {})
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("new TypeRef<List<Integer>>() {}");
  }

  @Test
  void aSubtreeIsAViewRelativeToItsPath() throws Exception {
    ConfigSnapshot s = build(CONF);
    Snapshot db = s.subtree("db");
    assertThat(db.getInt("pool-size")).isEqualTo(5);
    assertThat(db.getInt("max", 3)).isEqualTo(3);
    assertThat(db.paths())
        .containsExactly("password", "pool-size", "replicas.a", "replicas.b", "timeout", "url");
    assertThat(db.isSecret("password")).isTrue();
    assertThat(db.render(false)).contains("<redacted>").doesNotContain("canary-S3cret");
    assertThat(db.render(true)).contains("\"pool-size\" : 5");
    assertThat(db.origin("url").orElseThrow().location()).endsWith("application.conf:2");
    assertThat(db.subtree("replicas").getDuration("a")).isEqualTo(Duration.ofSeconds(1));
    assertThat(db.version()).isEqualTo(s.version());
    assertThat(db.checksum()).isEqualTo(s.checksum());
    assertThat(db.toString()).doesNotContain("canary");
    assertThatThrownBy(() -> s.subtree("nope")).isInstanceOf(QcfgException.Missing.class);
    assertThatThrownBy(() -> s.subtree("db.url")).isInstanceOf(QcfgException.WrongType.class);
    assertThatThrownBy(() -> db.getString("nope")).isInstanceOf(QcfgException.Missing.class)
        .hasMessageContaining("db.nope");
  }

  @Test
  void listenersForOnePathOrAPrefixAndAPlainSubscription() throws Exception {
    Files.writeString(dir.resolve("application.conf"), CONF);
    Path state = Files.createTempDirectory(dir.getParent(), "state");
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "watch", "false",
        "jmx", "false"));
    List<String> calls = new CopyOnWriteArrayList<>();
    try (Subscription prefix = Qcfg.onChange("db", c -> calls.add("db " + c.changedPaths()));
        Subscription leaf = Qcfg.onChange("http.port", c -> calls.add("port"));
        Subscription all = Qcfg.onChange(c -> calls.add("all"))) {
      Qcfg.setOverride("db.pool-size", "6"); // returns after the listeners ran
      assertThat(calls).containsExactlyInAnyOrder("db [db.pool-size]", "all");
      calls.clear();
      Qcfg.setOverride("http.port", "9091");
      assertThat(calls).containsExactlyInAnyOrder("port", "all");
      calls.clear();
      Qcfg.setOverride("http.host", "\"h\""); // neither db nor http.port
      assertThat(calls).containsExactly("all");
      calls.clear();
      prefix.close(); // no checked exception to catch; idempotent
      prefix.close();
      Qcfg.setOverride("db.pool-size", "7");
      assertThat(calls).containsExactly("all");
    } finally {
      Qcfg.stop();
    }
  }

  @Test
  void onlyChangedPathsCount() {
    ConfigChange c = new ConfigChange(null, null, java.util.Set.of("db.pool-size"));
    assertThat(c.changed("db")).isTrue();
    assertThat(c.changed("db.pool")).isFalse(); // a prefix of a name is not a parent path
  }
}
