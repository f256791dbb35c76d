package qcfg.benchmarks;

import io.qcfg.Qcfg;
import io.qcfg.Snapshot;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4 and issue 19 item 4: do reloads slow the readers down? Reader threads read a hot
 * setting while one more thread either sleeps ({@code reloads = none}, the baseline), applies
 * reloads back to back ({@code backToBack}), or applies one every 10 ms ({@code every10ms}, still
 * far more often than any deployment reloads). Each reload is a runtime override of {@code
 * bench.hot} to a new number, which builds, validates and publishes a new snapshot and rewrites
 * the bound field. Two kinds of read: the {@code @ConfigValue} field (group {@code field}) and
 * {@code Qcfg.current().getInt(path)} (group {@code lookup}). Group {@code reloadAlone} is the
 * reloader with no readers: how many reloads a second the engine manages alone.
 *
 * <p>Scores are operations per second; JMH prints the group total and each method's share. The
 * figure to compare is the readers' share ({@code :fieldRead}, {@code :lookupRead}) under {@code
 * none} against the same under {@code backToBack} and {@code every10ms}; the reloader's share
 * under {@code backToBack} is the number of reloads applied per second.
 *
 * <p>Fairness: a reloader spinning back to back keeps a core busy (and qcfg's applier thread,
 * which does the build, another share of one). With as many readers as cores, that CPU is taken
 * from the readers and the drop measures the scheduler, not qcfg. So the readers are {@code
 * cores - 1} by default here ({@code @GroupThreads(1)} for the 2-core machine of the README;
 * {@code benchmarks/run.sh} passes {@code -tg <cores-1>,1}), against the same number of readers
 * undisturbed. {@code every10ms} is the second, realistic mode: it leaves the CPU to the readers
 * between reloads.
 *
 * <p>What would make these lie:
 *
 * <ul>
 *   <li>Too few cores. On 2 cores the one reader shares its core with qcfg's applier thread,
 *       the GC and the JIT whenever a back-to-back reload runs; the drop then still mixes "reloads
 *       cost CPU" with "reloads slow each read" (what the goal asks). {@code every10ms} and a
 *       machine with more cores than threads separate the two; so does {@code -prof
 *       qcfg.benchmarks.ReaderCpuProfiler} on any machine (the reader's operations per CPU second,
 *       beside the share of a core it got).
 *   <li>A noisy neighbour. Each case runs in its own fork at another moment; on a shared machine
 *       the load changes between them. Two forks per case, and the error bars, say how much.
 *   <li>A cold reload path. A few hundred reloads per fork are not enough for the JIT to
 *       compile the whole pipeline; {@code reloadAlone} is the fairer figure for reload cost. The
 *       JIT compiling it runs beside the reader throughout a 9 s fork (benchmarks/README,
 *       "Readers, seventh session": as much CPU as the applier's).
 *   <li>The disk. Each reload waits for its {@code fsync}s (history, audit, version counter), so
 *       the back-to-back reload rate, and with it the dose the readers get, follows the state
 *       directory's disk and whoever else writes to it.
 *   <li>False sharing. The field lives in its own small object, as in an application; if it
 *       shared a cache line with something written constantly the readers would pay for that,
 *       not for qcfg.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 6, time = 1)
// qcfg logs one line per applied version at info; at warn the reloader is not timing stderr.
@Fork(value = 2, jvmArgsAppend = "-Dqcfg.log=warn")
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

  /** What the extra thread does: sleeps, reloads back to back, or reloads every 10 ms. */
  @State(Scope.Benchmark)
  public static class Reloads {
    @Param({"none", "backToBack", "every10ms"})
    public String reloads;
  }

  /** The reloader's next value, and when its next paced reload is due. */
  @State(Scope.Thread)
  public static class Counter {
    long next = 1000;
    long due;
  }

  @Benchmark
  @Group("field")
  @GroupThreads(1)
  public int fieldRead(Running r) {
    return r.settings.hot;
  }

  @Benchmark
  @Group("field")
  @GroupThreads(1)
  public Object fieldReloader(Running r, Reloads mode, Counter c) {
    return act(r, mode, c);
  }

  @Benchmark
  @Group("lookup")
  @GroupThreads(1)
  public int lookupRead(Running r) {
    return Qcfg.current().getInt(r.path);
  }

  @Benchmark
  @Group("lookup")
  @GroupThreads(1)
  public Object lookupReloader(Running r, Reloads mode, Counter c) {
    return act(r, mode, c);
  }

  private static Object act(Running r, Reloads mode, Counter c) {
    switch (mode.reloads) {
      case "backToBack":
        return reload(r, c);
      case "every10ms":
        long now = System.nanoTime();
        if (now - c.due >= 0) {
          c.due = now + 10_000_000L;
          return reload(r, c);
        }
        LockSupport.parkNanos(c.due - now);
        return null;
      default:
        return nap();
    }
  }

  /** Baseline for the reloader: reloads per second with no reader competing for the CPU. */
  @Benchmark
  @Group("reloadAlone")
  @GroupThreads(1)
  public Snapshot reloadAlone(Running r, Counter c) {
    return reload(r, c);
  }

  private static Snapshot reload(Running r, Counter c) {
    return Qcfg.setOverride(r.path, Long.toString(c.next++));
  }

  /** The idle reloader: off the CPU, like a thread that has nothing to do. */
  private static Object nap() {
    LockSupport.parkNanos(1_000_000);
    return null;
  }
}
