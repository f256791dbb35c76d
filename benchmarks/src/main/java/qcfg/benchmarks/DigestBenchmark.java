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
 * Issue 16/19: warm SHA-256 of one input, qcfg's pure-Java digest ({@link Sha256} before its
 * switch to the JDK's) against the JDK's {@link MessageDigest}, which it replaces on the start
 * path. 64 bytes is a small file or a secret leaf's HMAC, 4 KB a layer file, 512 KB the canonical
 * text of a 10,000-leaf tree. The pure digest wins cold (no JCA); this measures what it costs warm,
 * and so whether the switch to the JDK's after the start ({@code DigestWarmUp}) is worth having.
 *
 * <p>What would make these lie:
 *
 * <ul>
 *   <li>The CPU. C2 compiles the JDK's {@code implCompress} to the SHA-NI (x86) or SHA-2 (ARMv8)
 *       instructions where the CPU has them, and to plain code where it does not; the gap is a
 *       property of this machine, not of the code.
 *   <li>Cold code. JMH measures the JIT's best; a start-up digests each input once, interpreted or
 *       C1-compiled, where the JCA's first use dominates (startup/run.sh measures that).
 *   <li>Allocation. Both variants make their digest object per call, as qcfg's callers do; {@code
 *       -prof gc} shows the bytes per call (a few hundred for either).
 *   <li>Dead code: the digest is returned to JMH, so it cannot be optimised away.
 * </ul>
 *
 * <p>Cold, as a restart pays it (the start tree's integrity check: 80 KB at 1,000 leaves, 800 KB
 * at 10,000), one digest in each fresh fork, no warm-up; read the median of the forks, not the
 * mean (a fork that meets a busy neighbour is far out): {@code -bm ss -wi 0 -i 1 -f 25 -p
 * size=81920,819200}. The JDK's cold digest includes the JCA's first use, which the start path
 * avoids.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DigestBenchmark {
  @Param({"64", "4096", "524288"})
  int size;

  byte[] input;

  @Setup
  public void input() {
    input = new byte[size];
    new Random(19).nextBytes(input);
    if (Sha256.usesJdk()) {
      throw new IllegalStateException("Sha256 already switched to the JDK's digest");
    }
  }

  /** The baseline: what the start path did before, a JDK digest per input. */
  @Benchmark
  public byte[] jdkMessageDigest() throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(input);
  }

  /** qcfg's pure-Java SHA-256, as every caller uses it before the switch. */
  @Benchmark
  public byte[] pureSha256() {
    return Sha256.digest(input);
  }
}
