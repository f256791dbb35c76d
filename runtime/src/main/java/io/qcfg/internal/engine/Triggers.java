package io.qcfg.internal.engine;

import io.qcfg.QcfgException;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.etcd.EtcdCredentials;
import io.qcfg.internal.etcd.EtcdEvent;
import io.qcfg.internal.etcd.EtcdOptions;
import io.qcfg.internal.etcd.EtcdSource;
import io.qcfg.internal.etcd.EtcdStatus;
import io.qcfg.internal.etcd.InstanceId;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.watch.DirectoryWatcher;
import io.qcfg.internal.watch.WatchMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What starts a reload by itself: the file watcher and the etcd watch. Each burst of events
 * becomes at most one queued reload, so nothing is lost and nothing piles up.
 *
 * <p>Concurrency: events arrive on the watcher's and etcd's threads; they only queue work on the
 * applier (never block, never read applier state except the immutable environment view).
 */
final class Triggers {
  private final QcfgOptions options;
  private final Applier applier;
  private final BiConsumer<String, BooleanSupplier> reload; // runs on the applier
  private final AtomicBoolean reloadQueued = new AtomicBoolean();
  // The newest delivery's check that its files hold what the watcher saw (ChangeListener); the
  // next reload takes it. Null: nothing to check (etcd, or taken).
  private final AtomicReference<BooleanSupplier> seen = new AtomicReference<>();
  private volatile DirectoryWatcher watcher;
  private volatile EtcdSource etcd;
  private volatile boolean closed;

  Triggers(QcfgOptions options, Applier applier, BiConsumer<String, BooleanSupplier> reload) {
    this.options = options;
    this.applier = applier;
    this.reload = reload;
  }

  /** Whether {@link #close} was called. */
  boolean closed() {
    return closed;
  }

  /** Whether option watch asks for a file watcher. */
  boolean watching() {
    return WatchMode.parse(options.watch()) != WatchMode.OFF;
  }

  /**
   * Starts the file watcher (option watch). At start-up it runs beside the first build ({@link
   * WatchStart} then compares the files with what the build read); it may end after {@link
   * #close}, and then closes the watcher it made.
   */
  void watchFiles() {
    WatchMode mode = WatchMode.parse(options.watch());
    if (mode == WatchMode.OFF) {
      return;
    }
    try {
      DirectoryWatcher w = DirectoryWatcher.start(
          options.dir(), mode, DirectoryWatcher.DEFAULT_QUIET_WINDOW,
          (io.qcfg.internal.watch.ChangeListener) this::changed);
      watcher = w;
      if (closed) {
        w.close();
      }
    } catch (RuntimeException e) {
      Log.error("QCFG-1502: cannot watch " + options.dir() + "; live reload is off", e);
    }
  }

  /** {@link #changed(Set, BooleanSupplier)} with nothing to check. */
  void changed(Set<Path> paths) {
    changed(paths, null);
  }

  /**
   * Queues one reload unless one is already queued. A change that arrives while a reload is being
   * built queues the next one.
   *
   * <p>{@code stillAsSeen} (null: none) replaces the check of an earlier delivery still waiting:
   * the reload checks the newest one before and after its build reads the files, and is dropped
   * when it fails. Sound because a failing check means a file was written after the newest
   * delivery, whose own event the watcher delivers later; an older delivery's check could fail on
   * a file that a newer, already merged one carries, and so is never kept. A change with nothing
   * to check (etcd) keeps the waiting one: its reload reads the same files.
   */
  void changed(Set<Path> paths, BooleanSupplier stillAsSeen) {
    if (stillAsSeen != null) {
      seen.set(stillAsSeen);
    }
    if (!reloadQueued.compareAndSet(false, true)) {
      return;
    }
    String files = io.qcfg.internal.watch.ChangeBatch.describe(paths, options.dir()); // no "" entry
    boolean queued = applier.execute("reload (file-change: " + files + ")", () -> {
      reloadQueued.set(false); // first: a delivery from now on queues the next reload
      BooleanSupplier check = seen.getAndSet(null);
      reload.accept("file-change: " + files, check == null ? () -> true : () -> holds(check));
    });
    if (!queued) {
      reloadQueued.set(false); // stopped
    }
  }

  /** The check's answer; true when it fails: the reload then reads the files as it always did. */
  private static boolean holds(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      Log.debug("the check that the delivered files are unchanged failed ("
          + io.qcfg.internal.crypto.ForeignText.describe(e) + "); the reload reads them as they are");
      return true;
    }
  }

  /** Connects the etcd layer (option etcd); a failure is logged and builds report it. */
  EtcdSource connectEtcd() {
    if (options.etcd() == null) {
      return null;
    }
    try {
      Optional<EtcdCredentials> credentials = options.etcdUser() == null
          ? Optional.empty()
          : Optional.of(EtcdCredentials.fromFile(options.etcdUser(), options.etcdPasswordFile()));
      etcd = EtcdSource.connect(EtcdOptions.endpoints(options.etcd()),
          EtcdOptions.prefix(options.etcdPrefix()), credentials, Duration.ofSeconds(5),
          Optional.ofNullable(options.etcdCa()));
      etcd.selectAs(InstanceId.of(options.instance(), options.state()));
    } catch (QcfgException e) {
      Log.error("QCFG-1802: cannot connect to etcd: " + e.getMessage());
    }
    return etcd;
  }

  /**
   * Watches etcd from {@code revision}: a change to the keys of the environment that {@code
   * environment} names at the time of the event is a reload.
   */
  void watchEtcd(long revision, Supplier<String> environment) {
    EtcdSource source = etcd;
    if (source == null) {
      return;
    }
    source.watch(Math.max(0, revision), event -> {
      boolean relevant = !(event instanceof EtcdEvent.Changed c)
          || c.touchesAny(source.watchedKeys(environment.get()));
      if (relevant) {
        changed(Set.of(Path.of("etcd@" + event.revision())));
      }
    });
  }

  /** Connection state of the etcd layer, or null without it. */
  EtcdStatus etcdStatus() {
    EtcdSource source = etcd;
    return source == null ? null : source.status();
  }

  /** Stops watching files and etcd. */
  void close() {
    closed = true;
    DirectoryWatcher w = watcher;
    if (w != null) {
      w.close();
    }
    EtcdSource source = etcd;
    if (source != null) {
      source.close();
    }
  }
}
