package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 items 2-4: resolution bounded before it runs, each limit with its id and option. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ResolveLimitsTest {
  @TempDir Path dir;

  LoadedConfig load(Limits limits, String text) throws Exception {
    Files.writeString(dir.resolve("application.conf"), text);
    return new LayerStack(new LayerFileReader(limits), null)
        .load(new LayerStack.Request(dir, new Environment("development", "t"), Map.of(),
            new Properties(), Map.of(), null, null));
  }

  QcfgException.Invalid rejected(Limits limits, String text) {
    try {
      load(limits, text);
    } catch (QcfgException.Invalid e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("accepted: " + text.substring(0, Math.min(80, text.length())));
  }

  @Test
  void doublingSubstitutionsAreRefusedBeforeTheResolveRuns() {
    StringBuilder sb = new StringBuilder("x0 = \"abcdefghijklmnopqrst\"\n");
    for (int i = 1; i <= 40; i++) {
      sb.append("x").append(i).append(" = ${x").append(i - 1).append("}${x").append(i - 1)
          .append("}\n");
    }
    long t0 = System.nanoTime();
    QcfgException.Invalid e = rejected(Limits.DEFAULT, sb.toString());
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    assertThat(e.problems().get(0).id()).isEqualTo("QCFG-1026");
    assertThat(e.problems().get(0).location()).matches(".*application.conf:\\d+");
    assertThat(e.getMessage()).contains("max-value-length");
  }

  @Test
  void aSmallValueLimitProvesTheMechanismAndLinearGrowthPasses() throws Exception {
    Limits small = Limits.DEFAULT.withResolveLimits(200, 64, 100, 200_000);
    assertThat(rejected(small, "a = \"" + "x".repeat(60) + "\"\nb = ${a}${a}\n")
        .problems().get(0).path()).isEqualTo("b");
    assertThat(load(small, "a = \"" + "x".repeat(40) + "\"\nb = ${a}\"-\"${a}\n")
        .config().getString("b")).hasSize(81);
  }

  @Test
  void tooManyLeavesFromCopiedObjects() {
    Limits small = Limits.DEFAULT.withResolveLimits(200, 64, 1024 * 1024, 50);
    StringBuilder sb = new StringBuilder("o0 { ");
    for (int i = 0; i < 10; i++) {
      sb.append("k").append(i).append(" = ").append(i).append(", ");
    }
    sb.append("}\n");
    for (int i = 1; i <= 6; i++) {
      sb.append("o").append(i).append(" = ${o").append(i - 1).append("}\n");
    }
    QcfgException.Invalid e = rejected(small, sb.toString());
    assertThat(e.problems().get(0).id()).isEqualTo("QCFG-1027");
    assertThat(e.getMessage()).contains("max-leaves");
  }

  @Test
  void manyAppendsToOnePathAreRefusedWithTheLine() {
    StringBuilder sb = new StringBuilder("l = []\n");
    for (int i = 0; i < 500; i++) {
      sb.append("l += ").append(i).append("\n");
    }
    long t0 = System.nanoTime();
    QcfgException.Invalid e = rejected(Limits.DEFAULT, sb.toString());
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    assertThat(e.problems().get(0).id()).isEqualTo("QCFG-1025");
    assertThat(e.problems().get(0).location()).endsWith("application.conf:66");
    assertThat(e.getMessage()).contains("max-appends").contains("path l");
  }

  @Test
  void appendsInsideAnObjectCountPerFullPath() throws Exception {
    Limits small = Limits.DEFAULT.withResolveLimits(200, 2, 1024 * 1024, 200_000);
    assertThat(load(small, "a { l = [], l += 1, l += 2 }\nb { l = [], l += 1, l += 2 }\n")
        .config().getIntList("b.l")).containsExactly(1, 2);
    assertThat(rejected(small, "a { l = []\n l += 1\n l += 2\n l += 3 }\n").getMessage())
        .contains("path a.l");
  }

  @Test
  void dottedPathDepthCountsSegments() {
    String deep = "a" + ".a".repeat(2_999) + " = 1\n";
    QcfgException.Invalid e = rejected(Limits.DEFAULT, deep);
    assertThat(e.problems().get(0).id()).isEqualTo("QCFG-1008");
    assertThat(e.getMessage()).contains("segments").contains("max-depth");
    String mixed = "a.b.c {\n" + "x.".repeat(198) + "y = 1 }\n";
    assertThat(rejected(Limits.DEFAULT, mixed).getMessage()).contains("segments");
  }

  @Test
  void aResolveOverTheTimeBudgetIsRejectedWithoutWaitingForIt() {
    // 64 appends take Typesafe over a second; a 50 ms budget gives up on them.
    Limits quick = new Limits(8L * 1024 * 1024, 200, 10_000, java.time.Duration.ofMillis(50),
        64, 1024 * 1024, 200_000);
    StringBuilder sb = new StringBuilder("l = []\n");
    for (int i = 0; i < 64; i++) {
      sb.append("l += ").append(i).append("\n");
    }
    long t0 = System.nanoTime();
    QcfgException.Invalid e = rejected(quick, sb.toString());
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(900);
    assertThat(e.problems().get(0).id()).isEqualTo("QCFG-1022");
  }

  @Test
  void realConfigurationsStayFarBelowTheDefaults() throws Exception {
    StringBuilder sb = new StringBuilder("defaults { host = localhost, port = 8080, tags = [a, b] }\n");
    for (int i = 0; i < 200; i++) {
      sb.append("service-").append(i).append(" = ${defaults} { name = \"s").append(i)
          .append("\", url = \"http://\"${defaults.host}\":\"${defaults.port} }\n");
    }
    sb.append("path = /bin\npath = ${path}\":/extra\"\nl = [1]\nl += 2\nport = 1\nport = ${?PORT}\n");
    LoadedConfig l = load(Limits.DEFAULT, sb.toString());
    assertThat(l.config().getString("service-7.url")).isEqualTo("http://localhost:8080");
  }
}
