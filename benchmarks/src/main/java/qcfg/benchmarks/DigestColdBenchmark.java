package qcfg.benchmarks;

import io.qcfg.internal.text.Sha256;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 16: the first SHA-256 of a fresh JVM, as a restart pays it for the start tree's integrity
 * check (80 KB at 1,000 leaves, 800 KB at 10,000): one digest per fork, no warm-up, so the code
 * runs as a start-up runs it, interpreted, then C1-compiled, with C2 arriving late. qcfg's
 * pure-Java digest against the JDK's {@link MessageDigest} in the same run, whose first use also
 * initialises the JCA (what the start path avoids). {@link DigestBenchmark} is the warm view.
 *
 * <p>What would make these lie:
 *
 * <ul>
 *   <li>Few forks. Each fork gives one sample: use many ({@code -f 20} or more) and read the
 *       median, not the mean: a fork that meets a busy neighbour is far out.
 *   <li>JMH's own harness. It is warm when the measured call begins (its classes, a few threads);
 *       a real start-up is colder still. The difference between the two digests is the figure.
 *   <li>The machine. The JIT's compiler threads need a free core to finish their compiles during
 *       the digest; on a loaded machine more of it runs in the slower tiers.
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(30)
@State(Scope.Benchmark)
public class DigestColdBenchmark {
  @Param({"81920", "819200"})
  int size;

  byte[] input;

  @Setup
  public void input() {
    input = new byte[size];
    new Random(16).nextBytes(input);
  }

  /** The baseline: the JDK's digest, its provider framework initialised on the way. */
  @Benchmark
  public byte[] jdkMessageDigest() throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(input);
  }

  /** qcfg's pure-Java SHA-256, as the start path uses it. */
  @Benchmark
  public byte[] pureSha256() {
    return Sha256.digest(input);
  }
}
