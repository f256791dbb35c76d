package io.qcfg.internal.engine;

import io.qcfg.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the engine tells JMX and the API about itself: counters and the last outcome.
 *
 * <p>Concurrency: written by the applier thread, read by anyone; every field is volatile or
 * atomic and independent of the others.
 */
public final class Status {
  private volatile String lastError = "";
  private volatile boolean lastReloadSuccessful = true;
  private volatile Instant loadedAt;
  private final AtomicLong reloadCount = new AtomicLong();
  private final AtomicLong rejectedCount = new AtomicLong();
  private final AtomicLong listenerFailures = new AtomicLong();
  private volatile ChangeGuard guard = ChangeGuard.NONE; // issue 18: probation

  public String lastError() {
    return lastError;
  }

  public boolean lastReloadSuccessful() {
    return lastReloadSuccessful;
  }

  /** When the active snapshot was applied; null before the first. */
  public Instant loadedAt() {
    return loadedAt;
  }

  public long reloadCount() {
    return reloadCount.get();
  }

  public long rejectedCount() {
    return rejectedCount.get();
  }

  /** How many times a change listener or {@code @OnConfigChange} method threw. */
  public long listenerFailures() {
    return listenerFailures.get();
  }

  void attempted() {
    reloadCount.incrementAndGet();
  }

  void succeeded() {
    lastReloadSuccessful = true;
  }

  void applied(Instant at) {
    loadedAt = at;
  }

  void rejected(List<Problem> problems) {
    rejectedCount.incrementAndGet();
    lastReloadSuccessful = false;
    lastError = joined(problems);
  }

  void listenerFailed() {
    listenerFailures.incrementAndGet();
    guard.listenerFailed(); // issue 18: a health signal during probation
  }

  /** The probation guard ({@link ChangeGuard#NONE} without option {@code probation}). */
  public ChangeGuard guard() {
    return guard;
  }

  void guard(ChangeGuard g) {
    guard = g == null ? ChangeGuard.NONE : g;
  }

  void error(String message) {
    lastError = message;
  }

  /** The problems one per line, as logs and {@code LastError} show them. */
  static String joined(List<Problem> problems) {
    return io.qcfg.internal.validate.ProblemList.joined(problems, "\n  "); // bounded
  }
}
