package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.qcfg.ConfigChange;
import io.qcfg.internal.bind.FieldBinder;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.Provenance;
import io.qcfg.internal.snapshot.SnapshotStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listeners run on their own thread, and one that never returns holds neither the applier nor the
 * other listeners: it is reported after the time limit, skipped while stuck, and given the newest
 * change once it returns, never two calls at once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ListenersTest {
  final SnapshotStore store = new SnapshotStore(0);
  final Status status = new Status();
  final Listeners listeners = new Listeners(new FieldBinder(store::current), store, status,
      Duration.ofMillis(300));

  @AfterEach
  void stop() {
    listeners.stop();
  }

  static ConfigSnapshot snapshot(long version) {
    return new ConfigSnapshot(ConfigFactory.parseString("a = " + version),
        new Provenance(version, "sum" + version, "development", "default", Instant.now(), "test"),
        Map.of(), p -> false, Set.of(), Set.of(), ConfigFactory.empty());
  }


  @Test
  void deliveryDoesNotRunOnTheCallerAndKeepsVersionOrder() {
    List<String> seen = new CopyOnWriteArrayList<>();
    store.addListener(c -> seen.add(Thread.currentThread().getName() + ":"
        + c.newSnapshot().version()));
    for (long v = 2; v <= 6; v++) {
      listeners.deliver(snapshot(v - 1), snapshot(v));
    }
    listeners.awaitDelivered(6, Duration.ofSeconds(10));
    assertThat(seen).containsExactly("qcfg-listeners:2", "qcfg-listeners:3", "qcfg-listeners:4",
        "qcfg-listeners:5", "qcfg-listeners:6");
  }

  @Test
  void aChangeCarriesItsChangedPathsAndTheFirstSnapshotIsItsOwnOld() {
    List<String> seen = new CopyOnWriteArrayList<>();
    store.addListener(c -> seen.add(c.oldSnapshot().version() + "->" + c.newSnapshot().version()
        + " " + c.changedPaths()));
    ConfigSnapshot first = snapshot(1);
    listeners.deliver(null, first);
    listeners.deliver(first, withB(2));
    listeners.deliver(withB(2), snapshot(3));
    listeners.awaitDelivered(3, Duration.ofSeconds(10));
    assertThat(seen).containsExactly("1->1 [a]", "1->2 [a, b]", "2->3 [a, b]");
  }

  static ConfigSnapshot withB(long version) {
    return new ConfigSnapshot(ConfigFactory.parseString("a = " + version + ", b = x"),
        new Provenance(version, "sum" + version, "development", "default", Instant.now(), "test"),
        Map.of(), p -> false, Set.of(), Set.of(), ConfigFactory.empty());
  }

  @Test
  void aStuckListenerIsLeftBehindTheOthersGoOnAndItGetsTheNewestChangeWhenItReturns()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> stuckSaw = new CopyOnWriteArrayList<>();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    store.addListener(c -> {
      if (inside.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      stuckSaw.add(c.oldSnapshot().version() + "->" + c.newSnapshot().version());
      try {
        if (c.newSnapshot().version() == 2) {
          release.await(); // hangs until the test lets it go
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inside.decrementAndGet();
      }
    });
    List<Long> otherSaw = new CopyOnWriteArrayList<>();
    store.addListener(c -> otherSaw.add(c.newSnapshot().version()));

    listeners.deliver(snapshot(1), snapshot(2));
    listeners.deliver(snapshot(2), snapshot(3));
    listeners.deliver(snapshot(3), snapshot(4));
    // The other listener gets every change although the first one hangs on version 2.
    await().atMost(Duration.ofSeconds(10)).until(() -> otherSaw.equals(List.of(2L, 3L, 4L)));
    assertThat(status.listenerFailures()).isEqualTo(1); // the stuck call counts once
    long began = System.nanoTime();
    listeners.awaitDelivered(4, Duration.ofSeconds(10));
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2));
    assertThat(stuckSaw).containsExactly("1->2");

    release.countDown();
    // One catch-up from what it last saw to the newest: it never misses the end state.
    await().atMost(Duration.ofSeconds(10)).until(() -> stuckSaw.size() == 2);
    assertThat(stuckSaw).containsExactly("1->2", "2->4");
    listeners.deliver(snapshot(4), snapshot(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> stuckSaw.size() == 3);
    assertThat(stuckSaw).containsExactly("1->2", "2->4", "4->5");
    assertThat(overlaps).hasValue(0);
  }

  @Test
  void aThrowingListenerIsCountedAndTheNextStillRuns() {
    List<Long> saw = new CopyOnWriteArrayList<>();
    store.addListener(c -> {
      throw new StackOverflowError("boom");
    });
    store.addListener(c -> saw.add(c.newSnapshot().version()));
    listeners.deliver(snapshot(1), snapshot(2));
    listeners.awaitDelivered(2, Duration.ofSeconds(10));
    assertThat(saw).containsExactly(2L);
    assertThat(status.listenerFailures()).isEqualTo(1);
  }

  @Test
  void aListenerWaitingForItsOwnDeliveryDoesNotWaitForItself() {
    List<Long> saw = new CopyOnWriteArrayList<>();
    store.addListener(c -> {
      long began = System.nanoTime();
      listeners.awaitDelivered(c.newSnapshot().version(), Duration.ofSeconds(20));
      saw.add(Duration.ofNanos(System.nanoTime() - began).toMillis());
    });
    listeners.deliver(snapshot(1), snapshot(2));
    listeners.awaitDelivered(2, Duration.ofSeconds(10));
    assertThat(saw).hasSize(1);
    assertThat(saw.get(0)).isLessThan(1_000L);
  }

  @Test
  void oneThreadServesChangesThatFollowEachOther() {
    java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    store.addListener(c -> threads.add(Thread.currentThread()));
    for (long v = 2; v <= 21; v++) {
      listeners.deliver(snapshot(v - 1), snapshot(v));
      listeners.awaitDelivered(v, Duration.ofSeconds(10)); // the thread idles between changes
    }
    assertThat(threads).hasSize(1); // not a thread per change
  }

  @Test
  void aChangeNobodyListensToIsDeliveredAtOnce() {
    listeners.deliver(snapshot(1), snapshot(2));
    long began = System.nanoTime();
    listeners.awaitDelivered(2, Duration.ofSeconds(10));
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(1));
  }
}
