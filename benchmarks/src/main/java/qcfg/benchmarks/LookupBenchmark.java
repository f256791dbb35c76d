package qcfg.benchmarks;

import com.typesafe.config.Config;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Issue 2: the cost of one typed lookup by path on a built snapshot ({@code
 * snapshot.getInt("a.b.c")}), against the same call on the equivalent Typesafe {@link Config},
 * with a plain field read as the floor. Goal: snapshot lookups under 20 ns.
 *
 * <p>The snapshot answers from its leaf map (built in the build's one walk over the tree): {@code
 * getInt} is a hash probe and a value unwrapped once, with no cache to warm; {@code getDuration}
 * converts once per leaf and keeps the result in the leaf, carried over to the next snapshot when
 * the leaf did not change. Typesafe parses the path and walks the tree on every call, and parses
 * the duration text on every {@code getDuration}.
 *
 * <p>What would make these lie:
 *
 * <ul>
 *   <li>Constant folding. The paths live in non-final fields of the state, as the JMH samples
 *       advise, so the JIT cannot treat a lookup as a constant. (Application code usually passes
 *       a literal; that can only be faster.)
 *   <li>One hot path. Every call asks for the same key, so the cache entry and the tree nodes sit
 *       in L1. An application that reads thousands of distinct keys would see cache misses that
 *       this does not.
 *   <li>The tree size barely matters to the snapshot (a hash probe) but does to Typesafe (a walk
 *       of three levels): 1,000 leaves here; Typesafe's figure grows with depth, not leaves.
 *   <li>The path's spelling, for Typesafe. Its path parser has a fast path for keys of letters,
 *       digits and underscores only; a hyphen (kebab-case, Typesafe's own convention, and the
 *       generated {@code module-0.section-7.port}) sends every call through the tokenizer, which
 *       costs microseconds. The snapshot's leaf map does not care: another spelling of the same path is
 *       resolved once and remembered.
 *   <li>Boxing. {@code getDuration} returns a shared {@code Duration}; {@code getInt} unboxes a
 *       cached {@code Integer}. Neither allocates per call; {@code -prof gc} shows it if that
 *       changes.
 *   <li>Timer granularity: at a few nanoseconds per call, the score is the average over millions
 *       of calls per iteration, which is what {@link Mode#AverageTime} is for.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class LookupBenchmark {
  private Path dir;
  private ConfigSnapshot snapshot;
  private Config typesafe;

  // Non-final on purpose: see "constant folding" above.
  private String intPath = ConfigGenerator.INT_PATH;
  private String durationPath = ConfigGenerator.DURATION_PATH;
  private int plain;

  @Setup(Level.Trial)
  public void build() throws IOException {
    dir = ConfigGenerator.writeTree(Files.createTempDirectory("qcfg-bench-lookup-"), 1000);
    snapshot = Engine.freshPipeline().build(Engine.inputs(dir));
    typesafe = TypesafeBaseline.load(dir);
    plain = snapshot.getInt(intPath);
    if (typesafe.getInt(intPath) != plain
        || !typesafe.getDuration(durationPath).equals(snapshot.getDuration(durationPath))) {
      throw new IllegalStateException("qcfg and Typesafe disagree on the generated tree");
    }
  }

  @TearDown(Level.Trial)
  public void delete() {
    ConfigGenerator.delete(dir);
  }

  /** Baseline: the value already in a field. */
  @Benchmark
  public int plainFieldRead() {
    return plain;
  }

  @Benchmark
  public int snapshotGetInt() {
    return snapshot.getInt(intPath);
  }

  @Benchmark
  public Duration snapshotGetDuration() {
    return snapshot.getDuration(durationPath);
  }

  @Benchmark
  public int typesafeGetInt() {
    return typesafe.getInt(intPath);
  }

  @Benchmark
  public Duration typesafeGetDuration() {
    return typesafe.getDuration(durationPath);
  }
}
