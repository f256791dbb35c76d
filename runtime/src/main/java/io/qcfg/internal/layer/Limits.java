package io.qcfg.internal.layer;

/**
 * Limits checked before or while parsing untrusted layer files: a config directory is an attack
 * surface, and Typesafe Config's parser is recursive.
 *
 * @param maxFileSize largest file, in bytes
 * @param maxDepth deepest nesting of objects and lists
 * @param maxSubstitutions most {@code ${...}} substitutions in one file
 * @param timeBudget longest a parse of the layer files may take before the candidate is
 *     rejected (a parser thread that is still busy then is abandoned, not waited for)
 */
public record Limits(
    long maxFileSize, int maxDepth, int maxSubstitutions, java.time.Duration timeBudget) {
  public static final Limits DEFAULT =
      new Limits(8L * 1024 * 1024, 200, 10_000, java.time.Duration.ofSeconds(20));

  public Limits withMaxFileSize(long size) {
    return new Limits(size, maxDepth, maxSubstitutions, timeBudget);
  }

}
