package io.qcfg.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.ConfigChange;
import io.qcfg.ConfigValue;
import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Typed getters answer as the Snapshot Javadoc says (issue 14 item 7). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TypedGettersTest {
  @TempDir Path dir;

  ConfigSnapshot build(String conf) throws Exception {
    Files.writeString(dir.resolve("application.conf"), conf);
    return new Pipeline(QcfgOptions.defaults(), null, null)
        .build(new LayerStack.Request(dir, new Environment("development", "option"), Map.of(),
            new Properties(), Map.of(), null, null));
  }

  @Test
  void anExplicitNullIsNullForReferenceGettersAndWrongTypeForPrimitives() throws Exception {
    ConfigSnapshot s = build("a = null\nt = null\n");
    assertThat(s.getString("a")).isNull();
    assertThat(s.getString("a")).isNull(); // twice: the cache must not choke on it
    assertThat(s.getDuration("t")).isNull();
    assertThat(s.getDuration("t")).isNull();
    assertThat(s.get("a", String.class)).isNull();
    assertThatThrownBy(() -> s.getInt("a")).isInstanceOf(QcfgException.WrongType.class);
    assertThatThrownBy(() -> s.getBoolean("a")).isInstanceOf(QcfgException.WrongType.class);
    assertThatThrownBy(() -> s.getString("missing")).isInstanceOf(QcfgException.Missing.class);
  }

  @Test
  void numbersOutsideTheTypeAreWrongTypeNotWrapped() throws Exception {
    ConfigSnapshot s = build(
        "s = 70000\nb = 200\nsmax = 32767\nbmin = -128\ni = 3000000000\nl = 1e20\n"
            + "huge = 123456789012345678901234567890\nneg = -70000\n");
    assertThatThrownBy(() -> s.get("s", short.class))
        .isInstanceOf(QcfgException.WrongType.class).hasMessageContaining("out of range");
    assertThatThrownBy(() -> s.get("neg", Short.class)).isInstanceOf(QcfgException.WrongType.class);
    assertThatThrownBy(() -> s.get("b", byte.class)).isInstanceOf(QcfgException.WrongType.class);
    assertThat(s.get("smax", short.class)).isEqualTo((short) 32767);
    assertThat(s.get("bmin", byte.class)).isEqualTo((byte) -128);
    assertThatThrownBy(() -> s.getInt("i")).isInstanceOf(QcfgException.WrongType.class);
    assertThat(s.getLong("i")).isEqualTo(3_000_000_000L);
    assertThatThrownBy(() -> s.getLong("l")).isInstanceOf(QcfgException.WrongType.class);
    assertThatThrownBy(() -> s.getLong("huge")).isInstanceOf(QcfgException.WrongType.class);
  }

  @Test
  void concreteCollectionTypesAreRefusedWithAReason() throws Exception {
    ConfigSnapshot s = build("xs = [a, b]\nm { k = 1 }\n");
    assertThatThrownBy(() -> s.get("xs", ArrayList.class))
        .isInstanceOf(QcfgException.WrongType.class).hasMessageContaining("List");
    assertThatThrownBy(() -> s.get("m", HashMap.class))
        .isInstanceOf(QcfgException.WrongType.class).hasMessageContaining("Map");
    assertThat(s.get("xs", List.class)).containsExactly("a", "b");
  }

  static final class WithArrayList {
    @ConfigValue("xs")
    ArrayList<String> xs = new ArrayList<>();
  }

  @Test
  void aBoundArrayListFieldIsRefusedAtValidationNotSilentlyNeverWritten() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "other = 1\n");
    Path state = dir.resolveSibling(dir.getFileName() + "-state");
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "watch", "false",
        "jmx", "false"));
    try {
      Qcfg.bind(new WithArrayList());
      Files.writeString(dir.resolve("application.conf"), "other = 2\nxs = [a]\n");
      assertThatThrownBy(Qcfg::reload)
          .isInstanceOf(QcfgException.Invalid.class)
          .hasMessageContaining("xs")
          .hasMessageContaining("declare the field as List");
      assertThat(Qcfg.current().getInt("other")).isEqualTo(1);
    } finally {
      Qcfg.stop();
    }
  }

  public static final class Pool {
    public int size;
    public String name;
  }

  public record Holder(Pool pool) {}

  @Test
  void beansAreNotOneSharedMutableObject() throws Exception {
    ConfigSnapshot s = build("db.pool { size = 5, name = p }\n");
    Pool a = s.get("db.pool", Pool.class);
    a.size = 99;
    Pool b = s.get("db.pool", Pool.class);
    assertThat(b).isNotSameAs(a);
    assertThat(b.size).isEqualTo(5);
    assertThat(s.get("db", Holder.class).pool()).isNotSameAs(s.get("db", Holder.class).pool());
    // immutable results may still be shared
    assertThat(s.get("db.pool.name", String.class)).isSameAs(s.get("db.pool.name", String.class));
  }

  @Test
  void changedPathsAreSorted() throws Exception {
    ConfigSnapshot s = build("a = 1\n");
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      paths.add("p" + (i * 7919 % 200));
    }
    ConfigChange c = new ConfigChange(s, s, paths);
    assertThat(new ArrayList<>(c.changedPaths())).isSorted().hasSize(200);
    assertThatThrownBy(() -> c.changedPaths().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
