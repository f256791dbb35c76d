package io.qcfg.internal.etcd;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A watch callback for tests: records every event, its thread, and whether calls overlapped. */
final class Events implements Consumer<EtcdEvent> {
  final List<EtcdEvent> all = new CopyOnWriteArrayList<>();
  final Set<String> threads = ConcurrentHashMap.newKeySet();
  final AtomicBoolean overlapped = new AtomicBoolean();
  private final AtomicInteger inside = new AtomicInteger();

  /** Runs inside each call after it is recorded; tests use it to throw. */
  volatile Consumer<EtcdEvent> during = e -> {};

  @Override
  public void accept(EtcdEvent e) {
    if (inside.incrementAndGet() > 1) {
      overlapped.set(true);
    }
    try {
      threads.add(Thread.currentThread().getName());
      all.add(e);
      during.accept(e);
    } finally {
      inside.decrementAndGet();
    }
  }

  List<EtcdEvent.Changed> changes() {
    return all.stream()
        .filter(EtcdEvent.Changed.class::isInstance)
        .map(EtcdEvent.Changed.class::cast)
        .toList();
  }

  List<EtcdEvent.ResyncRequired> resyncs() {
    return all.stream()
        .filter(EtcdEvent.ResyncRequired.class::isInstance)
        .map(EtcdEvent.ResyncRequired.class::cast)
        .toList();
  }

  List<Long> changedRevisions() {
    return changes().stream().map(EtcdEvent::revision).toList();
  }

  /** Whether some event reached {@code revision}. */
  boolean reached(long revision) {
    return all.stream().anyMatch(e -> e.revision() >= revision);
  }
}
