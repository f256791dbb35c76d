package io.qcfg.internal.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;

/**
 * A deadline for every try of every jqwik property in this module.
 *
 * <p>JUnit's default timeout ({@code junit-platform.properties}) does not reach jqwik, which runs
 * its properties on its own engine, so without this a try that hangs stalls the build until
 * Surefire's fork timeout kills the JVM without naming the property. Registered for every
 * property through {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}.
 *
 * <p>A try that passes its deadline is interrupted; when it returns, it is falsified with the
 * deadline in the message, so jqwik reports (and shrinks) it like any failing try. A try that
 * ignores the interrupt cannot be stopped from outside: its stack is printed once, so that
 * Surefire's kill later has a diagnosis.
 */
public final class TryDeadline implements AroundTryHook {

  /** A longer (or shorter) deadline for the tries of one property. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.METHOD)
  public @interface Within {
    long seconds();
  }

  static final Duration DEFAULT = Duration.ofSeconds(60);
  private static final Duration STACK_AFTER = Duration.ofSeconds(30);

  private static final int RUNNING = 0;
  private static final int DONE = 1;
  private static final int LATE = 2;
  private static final int RETURNED_LATE = 3;

  private static final ScheduledExecutorService WATCH =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "jqwik-try-deadline");
            thread.setDaemon(true);
            return thread;
          });

  @Override
  public boolean appliesTo(Optional<AnnotatedElement> element) {
    return true;
  }

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public TryExecutionResult aroundTry(
      TryLifecycleContext context, TryExecutor aTry, List<Object> parameters) {
    Duration limit =
        context.findAnnotation(Within.class).map(w -> Duration.ofSeconds(w.seconds())).orElse(DEFAULT);
    return within(limit, () -> aTry.execute(parameters));
  }

  /** Runs one try on this thread; falsified if it took longer than {@code limit}. */
  static TryExecutionResult within(Duration limit, Supplier<TryExecutionResult> aTry) {
    Thread runner = Thread.currentThread();
    AtomicInteger state = new AtomicInteger(RUNNING);
    ScheduledFuture<?> interrupt =
        WATCH.schedule(
            () -> {
              if (state.compareAndSet(RUNNING, LATE)) {
                runner.interrupt();
                WATCH.schedule(() -> printStackIfStill(runner, state, limit),
                    STACK_AFTER.toMillis(), TimeUnit.MILLISECONDS);
              }
            },
            limit.toMillis(), TimeUnit.MILLISECONDS);
    TryExecutionResult result;
    try {
      result = aTry.get();
    } finally {
      if (!state.compareAndSet(RUNNING, DONE)) {
        awaitInterruptSent(interrupt);
        Thread.interrupted(); // the deadline's interrupt must not reach the next try
        state.set(RETURNED_LATE);
      }
      interrupt.cancel(false);
    }
    if (state.get() == RETURNED_LATE) {
      return TryExecutionResult.falsified(
          new AssertionError("this try ran longer than its deadline of " + describe(limit)
              + " (TryDeadline): a hang, or a try too slow to be a property's"));
    }
    return result;
  }

  /** Waits until the watchdog has sent its interrupt, so that clearing it afterwards holds. */
  private static void awaitInterruptSent(ScheduledFuture<?> interrupt) {
    while (true) {
      try {
        interrupt.get();
        return;
      } catch (InterruptedException deadlinesOwn) {
        // the interrupt this waits for; the caller clears the flag once the watchdog is done
      } catch (ExecutionException e) {
        return;
      }
    }
  }

  private static String describe(Duration limit) {
    return limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
  }

  private static void printStackIfStill(Thread runner, AtomicInteger state, Duration limit) {
    if (state.get() != LATE || !runner.isAlive()) {
      return;
    }
    StringBuilder text = new StringBuilder("[TryDeadline] a jqwik try passed its deadline of ")
        .append(describe(limit)).append(" and ignores the interrupt; ")
        .append(runner.getName()).append(" is at:\n");
    for (StackTraceElement frame : runner.getStackTrace()) {
      text.append("\tat ").append(frame).append('\n');
    }
    System.err.print(text);
  }
}
