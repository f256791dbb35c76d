package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The start-up's hand-over between threads, with CompletableFuture's meaning (issue 16). */
@Timeout(30)
class OneShotTest {
  @Test
  void waitersOnOtherThreadsGetTheFirstValueSet() throws Exception {
    OneShot<String> s = new OneShot<>();
    AtomicReference<String> joined = new AtomicReference<>();
    AtomicReference<String> got = new AtomicReference<>();
    Thread a = new Thread(() -> joined.set(s.join()));
    Thread b = new Thread(() -> {
      try {
        got.set(s.get(20_000));
      } catch (Exception e) {
        got.set(e.toString());
      }
    });
    a.start();
    b.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> a.getState() == Thread.State.WAITING
        && b.getState() == Thread.State.TIMED_WAITING);
    assertThat(s.isDone()).isFalse();
    assertThat(s.complete("seven")).isTrue();
    assertThat(s.complete("eight")).isFalse();
    assertThat(s.completeExceptionally(new IllegalStateException())).isFalse();
    a.join(10_000);
    b.join(10_000);
    assertThat(joined.get()).isEqualTo("seven");
    assertThat(got.get()).isEqualTo("seven");
    assertThat(s.isDone()).isTrue();
    assertThat(s.get()).isEqualTo("seven");
  }

  @Test
  void aFailureReachesEachWaitAsCompletableFuturesDoes() {
    OneShot<String> s = new OneShot<>();
    IllegalStateException cause = new IllegalStateException("no layer");
    assertThat(s.completeExceptionally(cause)).isTrue();
    assertThat(s.complete("late")).isFalse();
    assertThatThrownBy(s::join).isInstanceOf(CompletionException.class).hasCause(cause);
    assertThatThrownBy(s::get).isInstanceOf(ExecutionException.class).hasCause(cause);
    assertThatThrownBy(() -> s.get(1)).isInstanceOf(ExecutionException.class).hasCause(cause);
  }

  @Test
  void aBoundedWaitEndsWithATimeout() {
    OneShot<String> s = new OneShot<>();
    long began = System.nanoTime();
    assertThatThrownBy(() -> s.get(50)).isInstanceOf(TimeoutException.class);
    assertThat(System.nanoTime() - began).isGreaterThanOrEqualTo(50_000_000L);
  }

  @Test
  void joinWaitsThroughAnInterruptAndKeepsIt() throws Exception {
    OneShot<String> s = new OneShot<>();
    AtomicReference<String> joined = new AtomicReference<>();
    AtomicReference<Boolean> interrupted = new AtomicReference<>();
    Thread a = new Thread(() -> {
      joined.set(s.join());
      interrupted.set(Thread.currentThread().isInterrupted());
    });
    a.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> a.getState() == Thread.State.WAITING);
    a.interrupt();
    await().atMost(Duration.ofSeconds(10)).until(() -> a.getState() == Thread.State.WAITING);
    s.complete("v");
    a.join(10_000);
    assertThat(joined.get()).isEqualTo("v");
    assertThat(interrupted.get()).isTrue();
  }

  @Test
  void thenRunRunsAfterAValueOnlyAndATaskThatThrowsStaysItsOwn() {
    List<String> ran = new CopyOnWriteArrayList<>();
    OneShot<String> s = new OneShot<>();
    s.thenRun(() -> ran.add("queued"));
    s.thenRun(() -> {
      throw new IllegalStateException("a task's own failure");
    });
    s.thenRun(() -> ran.add("after the one that threw"));
    assertThat(ran).isEmpty();
    assertThat(s.complete("v")).isTrue(); // the completer gets no exception
    assertThat(ran).containsExactly("queued", "after the one that threw");
    s.thenRun(() -> ran.add("at once"));
    assertThat(ran).containsExactly("queued", "after the one that threw", "at once");

    OneShot<String> failed = new OneShot<>();
    failed.thenRun(() -> ran.add("before the failure"));
    failed.completeExceptionally(new IllegalStateException());
    failed.thenRun(() -> ran.add("after the failure"));
    assertThat(ran).hasSize(3);
  }
}
