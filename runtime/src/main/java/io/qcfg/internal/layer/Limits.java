package io.qcfg.internal.layer;

import java.time.Duration;

/**
 * Limits checked before or while parsing untrusted layer files and before resolving them: a
 * config directory is an attack surface, Typesafe Config's parser is recursive, and its resolver
 * can be made to build exponentially large values ({@code x1 = ${x0}${x0}} ...) or to take
 * quadratic time ({@code list += x} hundreds of times). Every limit is refused with a QCFG id,
 * the file and line, and the option's name.
 *
 * @param maxFileSize largest file, in bytes (option {@code max-file-size})
 * @param maxDepth deepest nesting, counted in path segments: {@code a.b.c = 1} is 3 deep, as is
 *     {@code a { b { c = 1 } }} (option {@code max-depth})
 * @param maxSubstitutions most {@code ${...}} substitutions in one file
 * @param timeBudget longest a parse of the layer files may take before the candidate is
 *     rejected (a parser thread that is still busy then is abandoned, not waited for)
 * @param maxAppends most {@code +=} on one path in one file (option {@code max-appends})
 * @param maxValueLength longest value a resolve may produce, in characters, bounded before the
 *     resolve runs (option {@code max-value-length})
 * @param maxLeaves most leaves the resolved tree may have, bounded before the resolve runs
 *     (option {@code max-leaves})
 */
public record Limits(
    long maxFileSize,
    int maxDepth,
    int maxSubstitutions,
    Duration timeBudget,
    int maxAppends,
    long maxValueLength,
    long maxLeaves) {
  /** Defaults far above real configurations: Pekko's reference.conf has about 1,500 leaves. */
  public static final Limits DEFAULT =
      new Limits(8L * 1024 * 1024, 200, 10_000, Duration.ofSeconds(20), 64, 1024L * 1024,
          200_000);

  public Limits withMaxFileSize(long size) {
    return new Limits(size, maxDepth, maxSubstitutions, timeBudget, maxAppends, maxValueLength,
        maxLeaves);
  }

  /** These limits with the resolve-time ones replaced. */
  public Limits withResolveLimits(int depth, int appends, long valueLength, long leaves) {
    return new Limits(maxFileSize, depth, maxSubstitutions, timeBudget, appends, valueLength,
        leaves);
  }
}
