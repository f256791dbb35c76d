package qcfg.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.qcfg.Qcfg;
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
 * Issue 3: what reading a {@code @ConfigValue int} field costs, against the other ways an
 * application can hold a setting. Goal: within 10% of a volatile read.
 *
 * <ul>
 *   <li>{@link #plainField} (baseline) and {@link #volatileField}: an int field, plain and
 *       volatile, of a small holder object the state points to: the same shape (one reference,
 *       one field) as {@code settings.hot}, so all three pay the same indirection.
 *   <li>{@link #configValueField}: {@link HotSettings#hot}. Under the agent the field is
 *       instrumented (made volatile and rewritten on every applied snapshot); without it, it is
 *       a plain field that {@code Qcfg.bind} wrote by reflection, and this figure is simply a
 *       plain-field read. The setup prints which case ran; the README says how to run it under
 *       the agent:
 *       <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar qcfg.benchmarks.ConfigGenerator small /tmp/qb
 * java -Dqcfg.jar=agent/target/qcfg.jar \
 *   -cp agent/target/qcfg.jar:benchmarks/target/benchmarks.jar org.openjdk.jmh.Main FieldRead \
 *   -jvmArgsAppend "-javaagent:agent/target/qcfg.jar=dir=/tmp/qb,watch=false,jmx=false"
 * }</pre>
 *       qcfg.jar goes first on the class path so that {@code io.qcfg.*} loads from the agent's
 *       jar: this jar carries its own copy of the runtime (for the other benchmarks), and a copy
 *       from another commit than the agent's fails to bind (QCFG-5015, NoSuchMethodError).
 *   <li>{@link #qcfgCurrentGetInt}: {@code Qcfg.current().getInt(path)}, a volatile read of the
 *       active snapshot plus a cached typed lookup.
 *   <li>{@link #typesafeGetInt}: Typesafe's {@code getInt(path)} on the same file.
 * </ul>
 *
 * <p>What would make these lie:
 *
 * <ul>
 *   <li>Hoisting. A plain field that nothing writes could be read once and kept in a register;
 *       JMH's loop reads a volatile flag between calls, which stops that, so a plain field is
 *       re-read every call, as it would be across calls in an application. Inside one hot loop
 *       of an application, a plain field can be hoisted and a volatile one cannot: that
 *       difference is real and not shown here.
 *   <li>x86. A volatile load is an ordinary load on x86 (the cost of volatile is in stores and
 *       in what the JIT may not reorder). On ARM a volatile read is {@code ldar}, somewhat
 *       dearer; the ratio measured here holds for x86 only.
 *   <li>No writer. Nothing changes the field during this benchmark, so its cache line never
 *       moves; {@link ReloadUnderReadBenchmark} measures reads while reloads write it.
 *   <li>Sub-nanosecond scores are mostly JMH's own loop; compare figures with each other, not
 *       with zero.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class FieldReadBenchmark {
  private QcfgSession qcfg;
  private HotSettings settings;
  private Config typesafe;
  private String path = ConfigGenerator.HOT_PATH; // non-final: no constant folding
  private PlainHolder plain;
  private VolatileHolder volatileHolder;

  /** Where an application keeps a setting it read once. */
  static final class PlainHolder {
    int value;
  }

  /** Where an application keeps a setting it updates by hand. */
  static final class VolatileHolder {
    volatile int value;
  }

  @Setup(Level.Trial)
  public void start() {
    qcfg = QcfgSession.open();
    settings = qcfg.newSettings();
    plain = new PlainHolder();
    plain.value = settings.hot;
    volatileHolder = new VolatileHolder();
    volatileHolder.value = settings.hot;
    typesafe = ConfigFactory.parseFile(qcfg.applicationConf().toFile()).resolve();
    if (typesafe.getInt(path) != settings.hot || Qcfg.current().getInt(path) != settings.hot) {
      throw new IllegalStateException("the readers disagree on " + path);
    }
    System.out.println("FieldReadBenchmark: " + qcfg.describe());
  }

  @TearDown(Level.Trial)
  public void stop() {
    qcfg.close();
  }

  /** Baseline: a plain int field. */
  @Benchmark
  public int plainField() {
    return plain.value;
  }

  @Benchmark
  public int volatileField() {
    return volatileHolder.value;
  }

  @Benchmark
  public int configValueField() {
    return settings.hot;
  }

  @Benchmark
  public int qcfgCurrentGetInt() {
    return Qcfg.current().getInt(path);
  }

  @Benchmark
  public int typesafeGetInt() {
    return typesafe.getInt(path);
  }
}
