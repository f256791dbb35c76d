package io.qcfg.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fast restart's snapshot makes its Typesafe tree on first use. Readers never block on it:
 * readers that race all build, and all get the one tree that was published first.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LazyTreeTest {

  @Test
  void racingReadersBuildWithoutALockAndAllGetTheSameTree() throws Exception {
    int readers = 4;
    CountDownLatch allInside = new CountDownLatch(readers);
    AtomicInteger builds = new AtomicInteger();
    ConfigSnapshot s = new ConfigSnapshot(() -> {
      builds.incrementAndGet();
      allInside.countDown();
      try { // with a lock around the build, only one reader could ever be in here
        assertThat(allInside.await(10, TimeUnit.SECONDS)).as("every reader building at once").isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ConfigFactory.parseString("a = 1"); // a new object per build
    }, new Provenance(1, "sum", "development", "default", Instant.now(), "test"), Map.of(),
        p -> false, Set.of(), Set.of(), () -> ConfigFactory.parseString("a = 1"), Map.of("a",
            new Leaf(ConfigFactory.parseString("a = 1").getValue("a"))));
    assertThat(s.treeBuilt()).isFalse();
    assertThat(s.getInt("a")).isEqualTo(1); // a lookup needs no tree
    assertThat(s.treeBuilt()).isFalse();

    ExecutorService pool = Executors.newFixedThreadPool(readers);
    try {
      List<Future<Config>> got = pool.invokeAll(
          java.util.Collections.nCopies(readers, s::config), 20, TimeUnit.SECONDS);
      Config first = got.get(0).get();
      for (Future<Config> f : got) {
        assertThat(f.get()).isSameAs(first);
      }
      assertThat(s.config()).isSameAs(first);
      assertThat(builds.get()).isEqualTo(readers);
    } finally {
      pool.shutdownNow();
    }
  }
}
