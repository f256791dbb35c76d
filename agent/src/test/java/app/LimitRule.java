package app;

import io.qcfg.ConfigRule;
import io.qcfg.ConfigValue;
import io.qcfg.Problem;
import io.qcfg.Snapshot;
import java.util.List;

/**
 * A rule with a bound field. qcfg loads it on its own applier thread while it builds the first
 * snapshot, so the agent must bind it without waiting for that snapshot (it would wait forever).
 * Listed in META-INF/services of the test classes, so every test application loads it.
 */
public class LimitRule implements ConfigRule {
  @ConfigValue("limits.max") static int max = 1_000_000;

  @Override
  public List<Problem> check(Snapshot candidate) {
    if (candidate.hasPath("s.int") && candidate.getInt("s.int") > max) {
      return List.of(Problem.of("QCFG-9000", candidate, "s.int", "above limits.max " + max));
    }
    return List.of();
  }

  public static int max() {
    return max;
  }
}
