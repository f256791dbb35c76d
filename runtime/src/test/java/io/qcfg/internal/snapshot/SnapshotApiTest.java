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
