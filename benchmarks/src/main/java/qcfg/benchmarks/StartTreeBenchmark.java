package qcfg.benchmarks;

import com.typesafe.config.Config;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.crypto.Hmac;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.StartTree;
import io.qcfg.internal.snapshot.StartTreeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 16: the fast restart's read of the start tree ({@link StartTreeReader}): the file, its
 * integrity check, the decode of every leaf and the unsealing of the secret leaves, up to the
 * snapshot the restart publishes. {@link #integrity} (the read and the keyed SHA-256 of the file
 * alone) is the baseline: the difference is the decode.
 *
 * <p>It runs cold by default, as a restart pays it: one read in each of 25 fresh forks, no
 * warm-up; read the median of the forks (JSON output's raw data), not the mean, which a fork that
 * meets a busy neighbour drags. {@code -bm avgt -wi 3 -i 5 -f 1} says what the code costs once
 * compiled, which a restart never sees.
 *
 * <p>What would make it lie:
 *
 * <ul>
 *   <li>Warm neighbours. The setup builds the tree through the full pipeline in the same fork, so
 *       the JDK's string, map and UTF-8 code and Typesafe's classes are warmer than at a restart
 *       (where the secret layer's parse warms some of them beside the read); the reader's own
 *       code and the file's bytes are cold. The start-up script measures the whole restart.
 *   <li>The page cache. The file was just written, so it is read from memory, as at most
 *       restarts; a new container reads it from disk.
 *   <li>The secret layer. The restart reads it on its own thread and the reader waits for it;
 *       here it is read in the setup, so the wait is not measured.
 *   <li>Dead code: the snapshot's size is returned to JMH.
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime) // cold by default: one read in each fresh fork
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(25)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class StartTreeBenchmark {
  @Param({"10000"})
  int leaves;

  Path dir;
  Path file;
  ConfigSnapshot built;
  Config secretLayer;

  @Setup
  public void write() throws IOException {
    dir = Files.createTempDirectory("qcfg-start-tree-bench-");
    ConfigGenerator.writeTree(dir.resolve("config"), leaves);
    Pipeline p = Engine.freshPipeline();
    built = p.build(Engine.inputs(dir.resolve("config")));
    secretLayer = p.secretLayer(dir.resolve("config"));
    file = dir.resolve(StartTree.NAME);
    StartTree.write(built, List.of(), file, mac("file"), mac("secrets"));
  }

  @TearDown
  public void delete() throws IOException {
    try (var all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static Hmac mac(String purpose) {
    return new Hmac(("bench key " + purpose).getBytes(StandardCharsets.UTF_8));
  }

  /** The baseline: the file's read and integrity check, no decode. */
  @Benchmark
  public byte[] integrity() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Hmac m = mac("file");
    m.update(bytes, 0, bytes.length - 32);
    return m.doFinal();
  }

  /** The restart's read: integrity, every leaf, the sealed leaves from the secret layer. */
  @Benchmark
  public int read() throws Exception {
    ConfigSnapshot s = StartTreeReader.read(file, mac("file"), mac("secrets"), built.version(),
        built.checksum(), keys -> StartTreeReader.valueAt(secretLayer.root(), keys));
    return s.leaves().size();
  }
}
