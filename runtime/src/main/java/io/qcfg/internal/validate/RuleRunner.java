package io.qcfg.internal.validate;

import io.qcfg.ConfigRule;
import io.qcfg.Problem;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Runs the user's {@link ConfigRule} classes, found once with {@link ServiceLoader} on the
 * application's class loader. A rule that throws is itself a problem of the candidate: a broken
 * rule must not let an unchecked configuration through.
 */
public final class RuleRunner {
  private final ClassLoader loader;
  private volatile List<ConfigRule> rules;
  private final List<Problem> loadProblems = new ArrayList<>();

  public RuleRunner(ClassLoader loader) {
    this.loader = loader;
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
                      "cannot load a rule: " + io.qcfg.internal.crypto.ForeignText.describe(e)));
            }
          }
        }
      }
      r = List.copyOf(found);
      rules = r;
    }
    return r;
  }

  public void check(ConfigSnapshot candidate, List<Problem> problems) {
    List<ConfigRule> all = rules();
    synchronized (loadProblems) {
      problems.addAll(loadProblems);
    }
    for (ConfigRule rule : all) {
      try {
        List<Problem> found = rule.check(candidate);
        if (found != null) {
          problems.addAll(found);
        }
      } catch (RuntimeException | LinkageError e) {
        problems.add(
            new Problem(
                "QCFG-1311",
                "rule " + rule.getClass().getName(),
                "",
                "the rule threw " + e.getClass().getName()
                    + " (the candidate is rejected: an unchecked configuration is never applied)"));
      }
    }
  }
}
