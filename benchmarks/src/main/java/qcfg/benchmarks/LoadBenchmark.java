package qcfg.benchmarks;

import com.typesafe.config.Config;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.text.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Issue 2 and 9: how long it takes to get from files to a validated snapshot, cold and on a
 * reload, against bare Typesafe Config reading the same files.
 *
 * <p>The tree is written by {@link ConfigGenerator}: 1,000 or 10,000 leaves in five files
 * (application.conf, environments/staging.conf, local.conf, secrets/extra.conf,
 * secrets/rotated.conf), each override file setting 10% of the leaves, and a schema.json with an
 * entry for every leaf. Environment {@code staging}: production would skip local.conf.
 *
 * <ul>
 *   <li>{@link #typesafeBareLoad} (baseline): {@code ConfigFactory.parseFile} five times, {@code
 *       withFallback}, {@code resolve()}. What an application pays today for the same tree, with
 *       no validation at all.
 *   <li>{@link #qcfgColdPipeline}: a new {@link Pipeline} per call, so nothing is cached: read,
 *       strict UTF-8 decode, SHA-256 of every file, structure scan, parse, merge, resolve, origin
 *       scan, canonical checksum, load of the schema and validation against it. This is qcfg's
 *       start-up work (minus JVM class loading; see below).
 *   <li>{@link #qcfgReloadOneFileChanged}: a long-lived pipeline; before each call one file is
 *       rewritten with a new revision (outside the measured time), so that file is re-parsed and
 *       the other four come from the content-hash cache, as after an edit in production.
 *   <li>{@link #qcfgRebuildNothingChanged}: a long-lived pipeline, no file changed: the floor of
 *       any reload (every file still read and hashed; merge, resolve, checksum and validation
 *       still run).
 * </ul>
 *
 * <p>What would make these lie:
 *
 * <ul>
 *   <li>Class loading. The first build loads everit, org.json and RE2J (~0.4 s). JMH's warm-up
 *       iterations absorb it, so {@link #qcfgColdPipeline} is "cold caches, warm JVM". A real
 *       start-up pays the class loading once on top; measure that with {@code -bm ss -wi 0 -i 1
 *       -f 10} if it matters.
 *   <li>The page cache. Every file is read from the OS page cache after the first call; a cold
 *       disk would add its latency to both qcfg and Typesafe alike.
 *   <li>Dead code. Every method returns its result, so JMH consumes it and the JIT cannot drop
 *       the work.
 *   <li>Invocation-level setup. The rewrite in {@link Reload#edit} costs a file write that JMH
 *       keeps out of the score; that is sound only because a call takes milliseconds, far above
 *       the timer's resolution (JMH's {@code Level.Invocation} warning).
 *   <li>A cache hit where a change was meant. {@link Reload#check} verifies after each iteration
 *       that the last snapshot holds the last written revision, so a reload that served a stale
 *       parse would fail the run instead of looking fast.
 *   <li>Two cores shared with other jobs: the parser pool parses layers in parallel on two
 *       threads; on a busy machine that parallelism is not there. Watch the error bars.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LoadBenchmark {

  /** The generated tree, written once per fork. */
  @State(Scope.Benchmark)
  public static class Tree {
    @Param({"1000", "10000"})
    public int leaves;

    /** false: schema.json is deleted, to measure the pipeline without schema validation. */
    @Param({"true"})
    public boolean schema;

    Path dir;

    @Setup(Level.Trial)
    public void write() throws IOException {
      dir = ConfigGenerator.writeTree(Files.createTempDirectory("qcfg-bench-load-"), leaves);
      if (!schema) {
        Files.delete(dir.resolve("schema.json"));
      }
    }

    @TearDown(Level.Trial)
    public void delete() {
      ConfigGenerator.delete(dir);
    }
  }

  /** A long-lived pipeline whose caches already hold every file and the schema. */
  @State(Scope.Benchmark)
  public static class Warm {
    Pipeline pipeline;

    @Setup(Level.Trial)
    public void build(Tree tree) {
      pipeline = Engine.freshPipeline();
      pipeline.build(Engine.inputs(tree.dir));
      Engine.digestAfterFirstBuild("jdk"); // as the agent's reloads: see Reload#digest
    }
  }

  /** A long-lived pipeline and one file that changes before every call. */
  @State(Scope.Benchmark)
  public static class Reload {
    /** The edited file: the large base layer, or a typical small override file. */
    @Param({"environments/staging.conf", "application.conf"})
    public String changedFile;

    /**
     * The digest of the builds after the first: {@code jdk} as in the agent, which moves {@link
     * Sha256} to the JDK's digest ({@code DigestWarmUp}) two seconds after its first snapshot, so
     * every reload but one in its first two seconds runs on it; {@code pure}, qcfg's own digest,
     * as every build before that switch (the runs before the eighth session measured this).
     */
    @Param({"jdk"})
    public String digest;

    Pipeline pipeline;
    int layer;
    long revision;
    ConfigSnapshot last;

    @Setup(Level.Trial)
    public void build(Tree tree) {
      layer = ConfigGenerator.layerIndex(changedFile);
      pipeline = Engine.freshPipeline();
      pipeline.build(Engine.inputs(tree.dir));
      Engine.digestAfterFirstBuild(digest);
    }

    /** Rewrites the file with a new revision: a new content hash, so a real re-parse. */
    @Setup(Level.Invocation)
    public void edit(Tree tree) {
      ConfigGenerator.writeLayer(tree.dir, tree.leaves, layer, ++revision);
    }

    /** Fails the run if the last reload did not see the last edit. */
    @TearDown(Level.Iteration)
    public void check() {
      if (last == null) {
        return;
      }
      String path = ConfigGenerator.revisedPath(layer);
      long expected = ConfigGenerator.revisedValue(layer, revision);
      if (last.getLong(path) != expected) {
        throw new IllegalStateException(
            "reload served a stale tree: " + path + " = " + last.getLong(path) + ", expected "
                + expected);
      }
    }
  }

  /** Baseline: bare Typesafe Config on the same five files. */
  @Benchmark
  public Config typesafeBareLoad(Tree tree) {
    return TypesafeBaseline.load(tree.dir);
  }

  /** Everything from files to a validated snapshot, with no cache of any kind. */
  @Benchmark
  public ConfigSnapshot qcfgColdPipeline(Tree tree) {
    return Engine.freshPipeline().build(Engine.inputs(tree.dir));
  }

  /** A reload after one file changed: one parse, four cache hits, the rest in full. */
  @Benchmark
  public ConfigSnapshot qcfgReloadOneFileChanged(Tree tree, Reload reload) {
    reload.last = reload.pipeline.build(Engine.inputs(tree.dir));
    return reload.last;
  }

  /** A reload with nothing changed: no parse at all; the floor of any reload. */
  @Benchmark
  public ConfigSnapshot qcfgRebuildNothingChanged(Tree tree, Warm warm) {
    return warm.pipeline.build(Engine.inputs(tree.dir));
  }
}
