package io.qcfg.internal.watch;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A change callback for tests: records every call, its thread, and whether calls overlapped. */
final class Recorder implements Consumer<Set<Path>> {
  final List<Set<Path>> calls = new CopyOnWriteArrayList<>();
  final Set<String> threadNames = ConcurrentHashMap.newKeySet();
  final AtomicBoolean overlapped = new AtomicBoolean();
  private final AtomicInteger inside = new AtomicInteger();

  /** Runs inside each call, after it is recorded; tests use it to block or to throw. */
  volatile Consumer<Set<Path>> during = paths -> {};

  @Override
  public void accept(Set<Path> paths) {
    if (inside.incrementAndGet() > 1) {
      overlapped.set(true);
    }
    try {
      threadNames.add(Thread.currentThread().getName());
      calls.add(paths);
      during.accept(paths);
    } finally {
      inside.decrementAndGet();
    }
  }

  int count() {
    return calls.size();
  }

  /** Whether any call so far reported {@code relative} (a path like "environments/prod.conf"). */
  boolean saw(String relative) {
    return calls.stream().anyMatch(c -> c.contains(Path.of(relative)));
  }

  /** Whether any call after the first {@code skip} calls reported {@code relative}. */
  boolean sawAfter(int skip, String relative) {
    return calls.stream().skip(skip).anyMatch(c -> c.contains(Path.of(relative)));
  }

  Set<Path> union() {
    Set<Path> all = new HashSet<>();
    calls.forEach(all::addAll);
    return all;
  }
}
