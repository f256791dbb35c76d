package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Qcfg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload runs after the watcher delivered a change, and reads the files as they are then. The
 * CI caught {@code HalfWrittenFileTest} applying a first burst: a delivery of a settled file was
 * still queued when the next in-place write began, and its reload read that write's first half.
 * Each test here holds the applier so that a delivery waits, changes the file behind it, then lets
 * it run: the reload checks that the file still holds what the watcher saw
 * ({@link io.qcfg.internal.watch.ChangeListener}) and is dropped, never applied nor rejected, when
 * it does not; the write's own delivery applies it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadAfterDeliveryTest {
  private static final String OLD = "svc { limit = 1, name = \"old\" }\n";
  private static final String WHOLE = "svc.limit = 2\nsvc.name = \"new\"\n";
  private static final String FIRST_HALF = "svc.limit = 3\n"; // valid on its own: no name
  private static final String BROKEN_HALF = "svc.limit = 3\nsvc.name = \"ne"; // invalid

  @TempDir Path tmp;
  Path file;
  Engine engine;

  @BeforeEach
  void start() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    file = dir.resolve("application.conf");
    Files.writeString(file, OLD);
    Qcfg.start(Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(),
        "jmx", "false", "watch", "false", "env", "development"));
    engine = Engine.require();
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  /** The watcher's check for {@code content}: the file holds it now. */
  private BooleanSupplier holds(String content) {
    return () -> {
      try {
        return Files.readString(file).equals(content);
      } catch (java.io.IOException e) {
        return false;
      }
    };
  }

  /** Holds the applier until the returned latch is counted down. */
  private CountDownLatch holdApplier() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    engine.submit(() -> {
      held.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    return release;
  }

  /** Waits until the applier has run everything queued before this call. */
  private void drain() throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    engine.submit(() -> done.complete(null));
    done.get(20, TimeUnit.SECONDS);
  }

  /**
   * {@link #WHOLE} is written and delivered while the applier is held; {@code between} runs, the
   * file is rewritten to {@code next} behind the waiting reload, and the reload then runs.
   */
  private void deliverWholeThenRewrite(String next, Runnable between) throws Exception {
    Files.writeString(file, WHOLE);
    CountDownLatch release = holdApplier();
    engine.inputsChanged(file, holds(WHOLE)); // delivered: the reload waits behind the hold
    between.run();
    Files.writeString(file, next);
    release.countDown();
    drain();
  }

  private String name() {
    var c = engine.current().config();
    return c.hasPath("svc.name") ? c.getString("svc.name") : "half-written";
  }

  @Test
  void aFileWrittenAgainAfterItsDeliveryIsNotReadHalfWritten() throws Exception {
    deliverWholeThenRewrite(FIRST_HALF, () -> { }); // the next in-place write's first burst
    assertThat(name()).isEqualTo("old");
    assertThat(engine.current().version()).isEqualTo(1);
    assertThat(engine.status().rejectedCount()).isZero();

    Files.writeString(file, WHOLE.replace("new", "second")); // the second burst, delivered
    engine.inputsChanged(file, holds(WHOLE.replace("new", "second")));
    drain();
    assertThat(name()).isEqualTo("second");
    assertThat(engine.current().version()).isEqualTo(2);
  }

  @Test
  void anInvalidFirstBurstReadAfterTheDeliveryIsNoRejection() throws Exception {
    deliverWholeThenRewrite(BROKEN_HALF, () -> { });
    assertThat(engine.status().rejectedCount()).isZero();
    assertThat(engine.status().lastReloadSuccessful()).isTrue();
    assertThat(name()).isEqualTo("old");
  }

  @Test
  void theCheckOfTheNewestDeliveryDecides() throws Exception {
    CountDownLatch release = holdApplier();
    Files.writeString(file, FIRST_HALF);
    engine.inputsChanged(file, holds(FIRST_HALF)); // an older delivery, superseded by the next
    Files.writeString(file, WHOLE);
    engine.inputsChanged(file, holds(WHOLE)); // merged into the queued reload
    engine.inputsChanged(file); // a change with nothing to check (etcd) keeps the newest check
    release.countDown();
    drain();
    assertThat(name()).isEqualTo("new"); // the older check, false now, did not drop it
    assertThat(engine.current().version()).isEqualTo(2);
  }

  @Test
  void aCheckThatFailsLetsTheReloadReadAsBefore() throws Exception {
    Files.writeString(file, WHOLE);
    engine.inputsChanged(file, () -> {
      throw new IllegalStateException("cannot tell");
    });
    drain();
    assertThat(name()).isEqualTo("new");
    assertThat(engine.current().version()).isEqualTo(2);
  }

  @Test
  void aChangeWithNothingToCheckKeepsTheWaitingCheck() throws Exception {
    deliverWholeThenRewrite(FIRST_HALF, () -> engine.inputsChanged(file)); // etcd: same files
    assertThat(name()).isEqualTo("old");
    assertThat(engine.current().version()).isEqualTo(1);
  }
}
