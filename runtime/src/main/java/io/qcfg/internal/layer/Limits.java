package io.qcfg.internal.layer;

/**
 * Limits checked before or while parsing untrusted layer files: a config directory is an attack
 * surface, and Typesafe Config's parser is recursive.
 *
 * @param maxFileSize largest file, in bytes
 * @param maxDepth deepest nesting of objects and lists
 * @param maxSubstitutions most {@code ${...}} substitutions in one file
 */
public record Limits(long maxFileSize, int maxDepth, int maxSubstitutions) {
  public static final Limits DEFAULT = new Limits(8L * 1024 * 1024, 200, 10_000);

  public Limits withMaxFileSize(long size) {
    return new Limits(size, maxDepth, maxSubstitutions);
  }
}
