package io.qcfg.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.internal.crypto.SecretPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The start tree's secret rule, made when first asked: the same answers as the rule made now. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LazySecretRuleTest {
  static final List<String> PATHS = List.of("", "db", "db.password", "db.url", "api", "api.token",
      "api.retries", "servers.0.password", "servers.0.host", "app.clientSecret", "app.port",
      "app", "vault.lease", "x.\"a.b\".y");

  static SecretPaths eager() {
    return SecretPaths.of(new java.util.TreeSet<>(List.of("api.token", "api.retries",
        "vault.lease")), Set.of(), List.of("servers.*.password"))
        .withSecretLeaves(List.of("api.token", "api.retries", "vault.lease", "app.clientSecret"));
  }

  @Test
  void answersAsTheRuleMadeNowAndMakesItOnce() {
    AtomicInteger made = new AtomicInteger();
    LazySecretRule lazy = new LazySecretRule(() -> {
      made.incrementAndGet();
      return eager();
    });
    assertThat(made).hasValue(0); // nothing made before the first question
    SecretPaths now = eager();
    for (String p : PATHS) {
      assertThat(lazy.test(p)).as(p).isEqualTo(now.isSecret(p));
    }
    assertThat(made).hasValue(1);
  }

  @Test
  void aRuleThatCannotBeMadeHidesEveryPathAndAnswersWithoutThrowing() {
    AtomicInteger made = new AtomicInteger();
    LazySecretRule lazy = new LazySecretRule(() -> {
      made.incrementAndGet();
      throw new IllegalStateException("a writer's bug");
    });
    for (String p : PATHS) {
      assertThat(lazy.test(p)).as(p).isTrue();
    }
    assertThat(made).as("tried once, not on every question").hasValue(1);
  }

  @Test
  void readersRacingOnTheFirstQuestionAllGetTheRulesAnswers() throws Exception {
    SecretPaths now = eager();
    for (int round = 0; round < 20; round++) {
      LazySecretRule lazy = new LazySecretRule(LazySecretRuleTest::eager);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Callable<Boolean>> asks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          asks.add(() -> {
            for (String p : PATHS) {
              if (lazy.test(p) != now.isSecret(p)) {
                return false;
              }
            }
            return true;
          });
        }
        for (Future<Boolean> f : pool.invokeAll(asks, 20, TimeUnit.SECONDS)) {
          assertThat(f.get()).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
