package qcfg.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.qcfg.internal.layer.PlainHocon;
import io.qcfg.internal.layer.SplitParse;
import io.qcfg.internal.layer.UnsyncStringReader;
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
 * Issue 19: Typesafe's parse of one layer file's text, through {@code ConfigFactory.parseString}
 * (its {@code StringReader} takes a monitor for each character the tokenizer reads) against the
 * same parse through {@link UnsyncStringReader}, as {@code LayerFileReader} now gives it. The text
 * is {@link ConfigGenerator}'s base file ({@code application.conf}: every leaf, nested blocks), the
 * options a layer file gets, without the includer (the text has no include).
 *
 * <p>What would make these lie:
 *
 * <ul>
 *   <li>Lock elision. A monitor nobody else takes is cheap when the JIT can prove it; what it
 *       costs in a build depends on the thread and its neighbours (JFR put {@code
 *       StringReader.read} at 2 to 12% of a cold build's samples in different runs). This
 *       measures one thread, warm.
 *   <li>A call site that sees one reader class. Here each benchmark's tokenizer sees only its own
 *       reader in its fork; in qcfg the tokenizer also reads {@code reference.conf} resources
 *       through Typesafe's buffered readers.
 *   <li>Dead code: the parsed tree is returned to JMH.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class LayerParseBenchmark {
  @Param({"1000", "10000"})
  int leaves;

  String text;
  ConfigParseOptions options;

  @Setup
  public void text() {
    text = ConfigGenerator.layerText(leaves, 0, 0);
    options = ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
        .setOriginDescription("application.conf").setAllowMissing(false);
  }

  /** The baseline: Typesafe's own entry point for a string. */
  @Benchmark
  public Config typesafeParseString() {
    return ConfigFactory.parseString(text, options);
  }

  /** The same parse through the reader without the lock. */
  @Benchmark
  public Config qcfgUnsyncReader() {
    return UnsyncStringReader.parse(text, options);
  }

  /**
   * The same parse in two parts, one on a {@code qcfg-parse} thread ({@link SplitParse}), as a
   * file above the split threshold is parsed: wall time, so it shows what a second free core buys
   * and what the cut, the parts' empty lines and the merge cost; add {@code -prof
   * qcfg.benchmarks.CpuTimeProfiler} for the CPU of both threads.
   */
  @Benchmark
  public Config qcfgSplitParse() {
    return SplitParse.parse(text, 2, options);
  }

  /**
   * The same tree from qcfg's reader of the plain subset ({@link PlainHocon}), which a build
   * tries first for every layer file (the generated file is in the subset; a file outside it pays
   * the plain reader's scan up to the first line it declines, then Typesafe's parse).
   */
  @Benchmark
  public Config qcfgPlainHocon() {
    return PlainHocon.parse(text, "application.conf", 200);
  }
}
