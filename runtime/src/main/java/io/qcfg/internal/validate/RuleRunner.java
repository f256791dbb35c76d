package io.qcfg.internal.validate;

import io.qcfg.ConfigRule;
import io.qcfg.Problem;
import io.qcfg.internal.crypto.ForeignText;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the user's {@link ConfigRule} classes, found once with {@link ServiceLoader} on the
 * application's class loader. A rule that throws is itself a problem of the candidate: a broken
 * rule must not let an unchecked configuration through.
 *
 * <p>Rules are user code and may hang, so they run on a {@code qcfg-rules} daemon thread while
 * the caller waits at most {@link #TIME_LIMIT}. A rule that has not returned by then rejects the
 * candidate (QCFG-1312) and is left to its thread; until it returns, every later candidate is
 * rejected at once, naming it: a configuration no rule has checked is never applied. Loading the
 * rules (their static initialisers) runs on that thread too.
 *
 * <p>Concurrency: {@link #check} is called by one thread at a time (the applier, or the CLI).
 */
public final class RuleRunner {
  /** How long the rules of one candidate may run. */
  public static final Duration TIME_LIMIT = Duration.ofSeconds(10);

  private final ClassLoader loader;
  private final Duration limit;
  private volatile List<ConfigRule> rules;
  private final List<Problem> loadProblems = new ArrayList<>();
  private volatile RuleThread leftBehind; // a thread still inside a rule that timed out
  private volatile int threadsStarted; // for tests; written by the one checking thread

  public RuleRunner(ClassLoader loader) {
    this(loader, TIME_LIMIT);
  }

  public RuleRunner(ClassLoader loader, Duration limit) {
    this.loader = loader;
    this.limit = limit;
  }

  /** How many rule threads {@link #check} started (for tests). */
  int threadsStarted() {
    return threadsStarted;
  }

  /** Whether the caller runs a rule (for qcfg's own calls that must not wait for the caller). */
  public static boolean onRuleThread() {
    return Thread.currentThread() instanceof RuleThread;
  }

  /** Adds the problems every rule finds in {@code candidate}, or why they could not run. */
  public void check(ConfigSnapshot candidate, List<Problem> problems) {
    RuleThread stuck = leftBehind;
    if (stuck != null) {
      String rule = stuck.rule;
      if (rule != null) {
        problems.add(new Problem("QCFG-1312", "rule " + rule, "", "the rule has not returned from"
            + " a check that started " + stuck.runningFor().toSeconds() + " s ago; every"
            + " candidate is rejected until it returns (an unchecked configuration is never"
            + " applied)"));
        return;
      }
      leftBehind = null;
    }
    if (rules == null && !declared(loader)) {
      rules = List.of(); // no rule anywhere: the first build starts no thread (issue 16)
    }
    if (rules != null && rules.isEmpty()) {
      addLoadProblems(problems);
      return; // nothing of the user's to run: no thread
    }
    RuleThread t = new RuleThread(candidate);
    threadsStarted++;
    t.start();
    try {
      problems.addAll(t.result.get(limit.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      String rule = t.rule;
      if (rule == null) { // it returned just now
        problems.addAll(t.result.join());
        return;
      }
      leftBehind = t;
      t.interrupt(); // a rule that honours interrupts may return; it is not waited for
      problems.add(new Problem("QCFG-1312", "rule " + rule, "", "the rule did not return within "
          + limit.toMillis() + " ms (the candidate is rejected: an unchecked configuration is"
          + " never applied)"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add(new Problem("QCFG-1312", "rules", "", "interrupted while the rules ran"));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof VirtualMachineError vme) {
        throw vme; // out of memory or stack in a rule: the build failed, as on the caller
      }
      problems.add(new Problem("QCFG-1311", "rules", "", "the rules failed: "
          + ForeignText.describe(e.getCause())));
    }
  }

  /**
   * Whether any rule could be found: a {@code META-INF/services} file, or a named module of the
   * boot layer that provides one. Reads no class, so it is safe on the caller's thread.
   */
  static boolean declared(ClassLoader loader) {
    if (loader == null) {
      return false;
    }
    try {
      if (loader.getResources("META-INF/services/" + ConfigRule.class.getName())
          .hasMoreElements()) {
        return true;
      }
    } catch (java.io.IOException | RuntimeException e) {
      return true; // cannot tell: the rule thread finds out and reports it
    }
    for (Module m : ModuleLayer.boot().modules()) {
      if (m.getDescriptor() != null) {
        for (var p : m.getDescriptor().provides()) {
          if (p.service().equals(ConfigRule.class.getName())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private void addLoadProblems(List<Problem> problems) {
    synchronized (loadProblems) {
      problems.addAll(loadProblems);
    }
  }

  private List<ConfigRule> rules() {
    List<ConfigRule> r = rules;
    if (r == null) {
      List<ConfigRule> found = new ArrayList<>();
      if (loader != null) {
        var it = ServiceLoader.load(ConfigRule.class, loader).iterator();
        while (true) {
          try {
            if (!it.hasNext()) {
              break;
            }
            found.add(it.next());
          } catch (ServiceConfigurationError e) {
            synchronized (loadProblems) {
              loadProblems.add(
                  new Problem(
                      "QCFG-1310",
                      "META-INF/services/io.qcfg.ConfigRule",
                      "",
                      "cannot load a rule: " + ForeignText.describe(e)));
            }
          }
        }
      }
      r = List.copyOf(found);
      rules = r;
    }
    return r;
  }

  /** Runs on the rule thread: loads the rules once, then runs each, containing what it throws. */
  private List<Problem> runAll(ConfigSnapshot candidate, RuleThread self) {
    List<Problem> out = new ArrayList<>();
    self.rule = "(loading the rules: META-INF/services/io.qcfg.ConfigRule)";
    List<ConfigRule> all = rules();
    addLoadProblems(out);
    for (ConfigRule rule : all) {
      self.rule = rule.getClass().getName();
      try {
        List<Problem> found = rule.check(candidate);
        if (found != null) {
          out.addAll(found);
        }
      } catch (VirtualMachineError e) {
        throw e; // the build fails as a whole (QCFG-1512), as it would on the caller's thread
      } catch (Throwable e) { // anything else, Error included: the candidate is rejected
        out.add(
            new Problem(
                "QCFG-1311",
                "rule " + rule.getClass().getName(),
                "",
                "the rule threw " + e.getClass().getName()
                    + " (the candidate is rejected: an unchecked configuration is never applied)"));
      }
    }
    self.rule = null;
    return out;
  }

  /** One run of the rules over one candidate. */
  private final class RuleThread extends Thread {
    final CompletableFuture<List<Problem>> result = new CompletableFuture<>();
    final long started = System.nanoTime();
    final ConfigSnapshot candidate;
    volatile String rule; // the rule running now, or null when done

    RuleThread(ConfigSnapshot candidate) {
      super("qcfg-rules");
      setDaemon(true);
      this.candidate = candidate;
    }

    Duration runningFor() {
      return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public void run() {
      try {
        result.complete(runAll(candidate, this));
      } catch (Throwable t) {
        rule = null;
        result.completeExceptionally(t);
      }
    }
  }
}
