package qcfg.benchmarks;

import io.qcfg.Qcfg;
import io.qcfg.Snapshot;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4: do continuous reloads slow the readers down? Eight threads read a hot setting, once
 * with nothing else happening (the baseline groups, {@code *Quiet}) and once while one more
 * thread applies reloads back to back ({@code *Reloading}): each reload is a runtime override of
 * {@code bench.hot} to a new number, which builds, validates and publishes a new snapshot and
 * rewrites the bound field. Two kinds of read: the {@code @ConfigValue} field ({@code field*})
 * and {@code Qcfg.current().getInt(path)} ({@code lookup*}), whose per-snapshot cache starts
 * empty after every reload.
 *
 * <p>Scores are operations per second; JMH prints the group total and each method's share.
 * Compare the readers' share in {@code *Reloading} with the {@code *Quiet} total; the reloader's
 * share is the number of reloads applied per second.
 *
 * <p>What would make these lie:
 *
 * <ul>
 *   <li>Too few cores. Eight readers, a reloader and qcfg's applier thread share the machine's
 *       cores. On the 2-core machine of the README the reload threads take CPU time the readers
 *       would otherwise get, so the drop mixes "reloads cost CPU" (true on any machine whose cores
 *       are all busy) with "reloads slow each read" (what issue 4 asks). The number to trust is
 *       the drop per reader on a machine with more cores than threads.
 *   <li>Scheduling. Oversubscribed threads are preempted in the middle of iterations; the error
 *       bars say how much that moved things.
 *   <li>Reload rate. Back-to-back reloads of a tiny configuration are far more frequent than any
 *       real deployment (a handful per hour); this is the worst case, not the usual one.
 *   <li>False sharing. The field lives in its own small object, as in an application; if it
 *       shared a cache line with something written constantly the readers would pay for that,
 *       not for qcfg.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// qcfg logs one line per applied version at info; at warn the reloader is not timing stderr.
@Fork(value = 1, jvmArgsAppend = "-Dqcfg.log=warn")
public class ReloadUnderReadBenchmark {

  /** qcfg, running, with one bound object shared by every thread. */
  @State(Scope.Benchmark)
  public static class Running {
    QcfgSession qcfg;
    HotSettings settings;
    String path = ConfigGenerator.HOT_PATH;

    @Setup(Level.Trial)
    public void start() {
      qcfg = QcfgSession.open();
      settings = qcfg.newSettings();
      System.out.println("ReloadUnderReadBenchmark: " + qcfg.describe());
    }

    @TearDown(Level.Trial)
    public void stop() {
      qcfg.close();
    }
  }

  /** The reloader's next value. */
  @State(Scope.Thread)
  public static class Counter {
    long next = 1000;
  }

  @Benchmark
  @Group("fieldQuiet")
  @GroupThreads(8)
  public int fieldQuietRead(Running r) {
    return r.settings.hot;
  }

  @Benchmark
  @Group("fieldReloading")
  @GroupThreads(8)
  public int fieldReloadingRead(Running r) {
    return r.settings.hot;
  }

  @Benchmark
  @Group("fieldReloading")
  @GroupThreads(1)
  public Snapshot fieldReloadingReload(Running r, Counter c) {
    return Qcfg.setOverride(r.path, Long.toString(c.next++));
  }

  @Benchmark
  @Group("lookupQuiet")
  @GroupThreads(8)
  public int lookupQuietRead(Running r) {
    return Qcfg.current().getInt(r.path);
  }

  @Benchmark
  @Group("lookupReloading")
  @GroupThreads(8)
  public int lookupReloadingRead(Running r) {
    return Qcfg.current().getInt(r.path);
  }

  @Benchmark
  @Group("lookupReloading")
  @GroupThreads(1)
  public Snapshot lookupReloadingReload(Running r, Counter c) {
    return Qcfg.setOverride(r.path, Long.toString(c.next++));
  }
}
