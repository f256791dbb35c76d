package qcfg.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the CPU time the whole benchmark JVM spent per operation ({@code ·cpu.per.op}), next to
 * JMH's wall-clock score: {@code -prof qcfg.benchmarks.CpuTimeProfiler}.
 *
 * <p>Why: on a machine shared with other jobs, wall-clock time includes the time a thread waited
 * for a core, which depends on the neighbours, not on the code. CPU time does not. It counts every
 * thread of the fork: the benchmark thread, qcfg's parser pool (which wall-clock time sees only
 * as overlap), and the JIT and GC threads (after warm-up, GC is a real cost of the operation;
 * JIT is mostly done). It also counts {@code Level.Invocation} setup, which the score excludes.
 * It is not free of neighbours either: caches and memory bandwidth are shared.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private long cpuAtStart;

  @Override
  public String getDescription() {
    return "CPU time of the whole fork per operation (all threads)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    cpuAtStart = processCpuNanos();
  }

  @Override
  @SuppressWarnings("rawtypes") // JMH's own signature
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    long used = processCpuNanos() - cpuAtStart;
    long ops = result.getMetadata().getMeasuredOps();
    TimeUnit unit = benchmark.getTimeUnit();
    double perOp = ops == 0 ? Double.NaN : used / (double) ops / unit.toNanos(1);
    return List.of(
        new ScalarResult("cpu.per.op", perOp, shortName(unit) + "/op", AggregationPolicy.AVG));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String shortName(TimeUnit unit) {
    return switch (unit) {
      case NANOSECONDS -> "ns";
      case MICROSECONDS -> "us";
      case MILLISECONDS -> "ms";
      case SECONDS -> "s";
      default -> unit.name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
