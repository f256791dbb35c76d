package io.qcfg.internal.engine;

import io.qcfg.ConfigRule;
import io.qcfg.Problem;
import io.qcfg.Snapshot;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link ConfigRule} found by every engine of the test JVM (META-INF/services), which does
 * nothing until a test arms it: then it runs the test's action on each candidate it checks.
 */
public final class ArmedRule implements ConfigRule {
  static volatile Consumer<Snapshot> action;

  @Override
  public List<Problem> check(Snapshot candidate) {
    Consumer<Snapshot> a = action;
    if (a != null) {
      a.accept(candidate);
    }
    return List.of();
  }
}
