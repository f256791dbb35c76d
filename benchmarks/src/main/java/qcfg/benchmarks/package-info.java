/**
 * The JMH suite: loading ({@link qcfg.benchmarks.LoadBenchmark}), typed lookups ({@link
 * qcfg.benchmarks.LookupBenchmark}), {@code @ConfigValue} field reads ({@link
 * qcfg.benchmarks.FieldReadBenchmark}) and reads during continuous reloads ({@link
 * qcfg.benchmarks.ReloadUnderReadBenchmark}). Run them with {@code benchmarks/run.sh}; the
 * figures and how to read them are in {@code benchmarks/README.md}.
 *
 * <p>The package is deliberately not under {@code io.qcfg}: the agent never instruments qcfg's
 * own namespace, and {@link qcfg.benchmarks.HotSettings} must look like application code to be
 * instrumented.
 */
package qcfg.benchmarks;
