package io.qcfg.internal.layer;

import java.util.Map;
import java.util.Set;

/**
 * The environment a configuration is built for, and where its name came from.
 *
 * @param name e.g. {@code production}
 * @param source {@code option} (agent argument or {@code -Dqcfg.env}), {@code QCFG_ENV}, {@code
 *     CI} or {@code default}
 */
public record Environment(String name, String source) {
  /** The four environments qcfg knows without an {@code environments/<name>.conf}. */
  public static final Set<String> KNOWN = Set.of("development", "testing", "staging", "production");

  /**
   * Detection order (DESIGN.md): {@code env} option, then {@code QCFG_ENV}, then {@code CI=true}
   * means {@code testing}, else {@code development}.
   */
  public static Environment detect(String option, String optionSource, Map<String, String> env) {
    if (option != null && !option.isBlank()) {
      return new Environment(option.trim(), optionSource == null ? "option" : optionSource);
    }
    String q = env.get("QCFG_ENV");
    if (q != null && !q.isBlank()) {
      return new Environment(q.trim(), "QCFG_ENV");
    }
    if ("true".equalsIgnoreCase(env.getOrDefault("CI", "").trim())) {
      return new Environment("testing", "CI");
    }
    return new Environment("development", "default");
  }

  public boolean isProduction() {
    return name.equals("production");
  }

  /** Staging and production are strict: no substitution from the environment unless listed. */
  public boolean isStrict() {
    return name.equals("production") || name.equals("staging");
  }
}
