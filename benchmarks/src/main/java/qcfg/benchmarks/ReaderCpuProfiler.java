package qcfg.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Splits a reader's throughput in {@link ReloadUnderReadBenchmark} into how much CPU the reader
 * got and what it did with it: {@code -prof qcfg.benchmarks.ReaderCpuProfiler}.
 *
 * <ul>
 *   <li>{@code reader.cpu.share}: the busiest JMH worker's CPU time over the iteration's wall
 *       time (1.0 = a whole core). In the {@code field} and {@code lookup} groups the busiest
 *       worker is the reader: the reloader spends its time waiting for qcfg's applier.
 *   <li>{@code ops.per.reader.cpu.s}: the iteration's operations (the reader's, plus the
 *       reloader's few hundred) per CPU second of that worker.
 * </ul>
 *
 * <p>Why: on 2 cores shared with other jobs, a reader's ops/s under back-to-back reloads mixes
 * "the reader got less CPU" (the applier, the JIT, the GC and the neighbours took it) with "each
 * read got slower" (deoptimisation, cache misses, pauses that spin). The goal of issue 19 item 4
 * is about the second; the first depends on the number of cores and on the neighbours. If reloads
 * slow reads, {@code ops.per.reader.cpu.s} drops under {@code backToBack}; if they only take CPU,
 * it stays and {@code reader.cpu.share} drops.
 *
 * <p>What would make it lie: the worker's CPU also counts the iteration's synchronised start and
 * end (JMH runs the benchmark method there, uncounted), the same in every mode; a safepoint pause
 * is not CPU time, so a read stopped at one shows as less CPU, not as a slower read.
 */
public final class ReaderCpuProfiler implements InternalProfiler {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private Start start = new Start(Map.of(), 0);

  /** The workers' CPU time by thread id, and the wall clock, when an iteration began. */
  private record Start(Map<Long, Long> cpu, long wall) {}

  @Override
  public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
    start = new Start(workerCpu(), System.nanoTime());
  }

  @Override
  @SuppressWarnings("rawtypes") // JMH's own signature
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmark, IterationParams iteration, IterationResult result) {
    long wall = System.nanoTime() - start.wall();
    long busiest = 0;
    for (var e : workerCpu().entrySet()) {
      busiest = Math.max(busiest, e.getValue() - start.cpu().getOrDefault(e.getKey(), 0L));
    }
    long ops = result.getMetadata().getMeasuredOps();
    double share = wall <= 0 ? Double.NaN : busiest / (double) wall;
    double perCpuSecond = busiest <= 0 ? Double.NaN : ops / (busiest / 1e9);
    return List.of(
        new ScalarResult("reader.cpu.share", share, "cores", AggregationPolicy.AVG),
        new ScalarResult("ops.per.reader.cpu.s", perCpuSecond, "ops/cpu-s", AggregationPolicy.AVG));
  }

  @Override
  public String getDescription() {
    return "CPU share and operations per CPU second of the busiest JMH worker (the reader)";
  }

  /** CPU time by thread id of the live JMH worker threads. */
  private Map<Long, Long> workerCpu() {
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t != null && t.getThreadName().contains("jmh-worker")) {
        long used = threads.getThreadCpuTime(t.getThreadId());
        if (used >= 0) {
          cpu.put(t.getThreadId(), used);
        }
      }
    }
    return cpu;
  }
}
