package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.qcfg.ConfigRule;
import io.qcfg.Problem;
import io.qcfg.Snapshot;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.Provenance;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ConfigRule is user code: one that never returns must neither hold the applier nor let an
 * unchecked candidate through. It rejects the candidate at the time limit, every later candidate
 * is rejected at once while it is still running, and checks work again once it returns.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RuleTimeLimitTest {
  static final CountDownLatch release = new CountDownLatch(1);
  static volatile boolean hang = true;

  /** Hangs until released. */
  public static final class HangingRule implements ConfigRule {
    @Override
    public List<Problem> check(Snapshot candidate) {
      while (hang) {
        try {
          release.await();
        } catch (InterruptedException e) {
          // ignores interrupts, as careless code does
        }
      }
      return List.of(new Problem("X-1", "rule", "a", "seen " + candidate.getInt("a")));
    }
  }

  @TempDir java.nio.file.Path tmp;

  static ConfigSnapshot candidate(int a) {
    return new ConfigSnapshot(ConfigFactory.parseString("a = " + a),
        new Provenance(0, "c" + a, "development", "default", Instant.now(), "test"), Map.of(),
        p -> false, Set.of(), Set.of(), ConfigFactory.empty());
  }

  @Test
  void aHangingRuleRejectsAtTheLimitThenAtOnceUntilItReturns() throws Exception {
    RuleRunner runner = new RuleRunner(loaderWith(HangingRule.class), Duration.ofMillis(300));

    List<Problem> first = new ArrayList<>();
    long began = System.nanoTime();
    runner.check(candidate(1), first);
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
    assertThat(first).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo("QCFG-1312");
      assertThat(p.location()).contains(HangingRule.class.getName());
      assertThat(p.reason()).contains("did not return within 300 ms");
    });

    List<Problem> second = new ArrayList<>();
    began = System.nanoTime();
    runner.check(candidate(2), second);
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMillis(250));
    assertThat(second).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo("QCFG-1312");
      assertThat(p.reason()).contains("has not returned");
    });

    hang = false;
    release.countDown();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      List<Problem> again = new ArrayList<>();
      runner.check(candidate(3), again);
      return again.size() == 1 && again.get(0).reason().equals("seen 3");
    });
  }

  /** No rule declared anywhere: no thread, at the first check either (issue 16). */
  @Test
  void noDeclaredRuleStartsNoThread() throws Exception {
    ClassLoader none = new ClassLoader(RuleTimeLimitTest.class.getClassLoader()) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        return name.startsWith("META-INF/services/") ? Collections.emptyEnumeration()
            : super.getResources(name);
      }
    };
    RuleRunner runner = new RuleRunner(none);
    List<Problem> problems = new ArrayList<>();
    runner.check(candidate(1), problems);
    runner.check(candidate(2), problems);
    assertThat(problems).isEmpty();
    assertThat(runner.threadsStarted()).isZero();
    assertThat(RuleRunner.declared(none)).isFalse();
    assertThat(RuleRunner.declared(loaderWith(HangingRule.class))).isTrue();
  }

  /** A class loader whose ServiceLoader finds exactly {@code rule}. */
  private ClassLoader loaderWith(Class<?> rule) throws IOException {
    java.nio.file.Path services = tmp.resolve("META-INF/services");
    java.nio.file.Files.createDirectories(services);
    java.nio.file.Path file = services.resolve(ConfigRule.class.getName());
    java.nio.file.Files.writeString(file, rule.getName() + "\n");
    URL url = file.toUri().toURL();
    return new ClassLoader(RuleTimeLimitTest.class.getClassLoader()) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        if (name.equals("META-INF/services/" + ConfigRule.class.getName())) {
          return Collections.enumeration(List.of(url));
        }
        return super.getResources(name);
      }
    };
  }
}
