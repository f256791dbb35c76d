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
 * Issue 4: do continuous reloads slow the readers down? Eight threads read a hot setting while a
 * ninth thread either applies reloads back to back ({@code reloading = true}) or sleeps ({@code
 * false}, the baseline): each reload is a runtime override of {@code bench.hot} to a new number,
 * which builds, validates and publishes a new snapshot and rewrites the bound field. The thread
 * count is the same in both cases, so the scheduler treats them alike. Two kinds of read: the
 * {@code @ConfigValue} field (group {@code field}) and {@code Qcfg.current().getInt(path)} (group
 * {@code lookup}), whose per-snapshot cache starts empty after every reload. Group {@code
 * reloadAlone} is the reloader with no readers: how many reloads a second the engine manages when
 * it has the machine to itself.
 *
 * <p>Scores are operations per second; JMH prints the group total and each method's share. The
 * figure to compare is the readers' share ({@code :fieldRead}, {@code :lookupRead}) with {@code
 * reloading} false and true; the reloader's share with {@code reloading = true} is the number of
 * reloads applied per second (with {@code false} it counts naps).
 *
 * <p>What would make these lie:
 *
 * <ul>
 *   <li>Too few cores. Eight readers, the reloader and qcfg's applier thread share the machine's
 *       cores. On the 2-core machine of the README the applier thread gets a tenth of the CPU, so
 *       reloads are rare (tens a second) and their CPU time is taken from the readers: the drop
 *       mixes "reloads cost CPU" with "reloads slow each read" (what issue 4 asks). The number to
 *       trust is the drop on a machine with more cores than threads.
 *   <li>A noisy neighbour. Each case runs in its own fork at another moment; on a shared machine
 *       the load changes between them. Two forks per case, and the error bars, say how much.
 *   <li>A cold reload path. A few hundred reloads per fork may not be enough for the JIT to
 *       compile the whole pipeline; {@code reloadAlone} is the fairer figure for reload cost.
 *   <li>Reload rate. Back-to-back reloads are far more frequent than in any real deployment (a
 *       handful per hour): this is the worst case, not the usual one.
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

  /** Whether the ninth thread reloads or sleeps. */
  @State(Scope.Benchmark)
  public static class Reloads {
    @Param({"false", "true"})
    public boolean reloading;
  }

  /** The reloader's next value. */
  @State(Scope.Thread)
  public static class Counter {
    long next = 1000;
  }

  @Benchmark
  @Group("field")
  @GroupThreads(8)
  public int fieldRead(Running r) {
    return r.settings.hot;
  }

  @Benchmark
  @Group("field")
  @GroupThreads(1)
  public Object fieldReloader(Running r, Reloads mode, Counter c) {
    return mode.reloading ? reload(r, c) : nap();
  }

  @Benchmark
  @Group("lookup")
  @GroupThreads(8)
  public int lookupRead(Running r) {
    return Qcfg.current().getInt(r.path);
  }

  @Benchmark
  @Group("lookup")
  @GroupThreads(1)
  public Object lookupReloader(Running r, Reloads mode, Counter c) {
    return mode.reloading ? reload(r, c) : nap();
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
