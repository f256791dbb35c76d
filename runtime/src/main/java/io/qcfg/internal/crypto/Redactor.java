package io.qcfg.internal.crypto;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import io.qcfg.internal.tree.Leaves;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes known secret values from free text: exception messages, log lines, template errors,
 * anything that may have picked up a value on its way. Immutable and safe to share between threads.
 *
 * <p>Every occurrence of every known value is replaced by {@link #REDACTED}. Where values overlap,
 * the longest match at a position wins, so a secret that contains another is removed whole. Values
 * shorter than {@link #MIN_LENGTH} characters are ignored: scrubbing {@code "on"} or {@code "1"}
 * would mangle every message, and so short a secret is no secret anyway. Only the exact text is
 * found, not an escaped or re-encoded form of it.
 */
public final class Redactor {
  /** What a secret is replaced with, everywhere in qcfg. */
  public static final String REDACTED = "<redacted>";

  /** Values shorter than this are not scrubbed. */
  public static final int MIN_LENGTH = 4;

  private static final Redactor NONE = new Redactor(null, 0);

  private final String regex; // the values' alternation, null when there is nothing to scrub
  // Compiled on the first scrub, not when the values become known: a fast restart learns its
  // secrets before its publish, and compiling them there took 15-30 ms at 100 secrets (issue 16).
  // Two threads that race both compile the same regex; either result is kept.
  private volatile Pattern pattern;
  private final int count;

  private Redactor(String regex, int count) {
    this.regex = regex;
    this.count = count;
  }

  /**
   * A redactor for {@code values}: plaintexts and their {@code ENC[...]} texts alike. Null and
   * short values are skipped.
   */
  public static Redactor of(Collection<String> values) {
    // Longest first: regex alternation takes the first alternative that matches at a position.
    TreeSet<String> sorted =
        new TreeSet<>(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));
    for (String v : values) {
      if (v != null && v.length() >= MIN_LENGTH) {
        sorted.add(v);
      }
    }
    if (sorted.isEmpty()) {
      return NONE;
    }
    List<String> quoted = new ArrayList<>();
    for (String v : sorted) {
      quoted.add(Pattern.quote(v));
    }
    return new Redactor(String.join("|", quoted), sorted.size());
  }

  /**
   * A redactor for every secret scalar of {@code config} (as {@link SecretPaths} decides) plus
   * {@code extra} values, typically {@link ConfigDecryptor.Result#ciphertexts()}. Numbers and
   * booleans count with their rendered text.
   */
  public static Redactor forConfig(Config config, SecretPaths secrets, Collection<String> extra) {
    List<String> values = new ArrayList<>(extra);
    Leaves.forEachLeaf(
        config.root(),
        (path, value) -> {
          if (value.valueType() != ConfigValueType.NULL && secrets.isSecret(path)) {
            values.add(String.valueOf(value.unwrapped()));
          }
        });
    return of(values);
  }

  /** A redactor that changes nothing. */
  public static Redactor none() {
    return NONE;
  }

  /** {@code text} with every known value replaced by {@link #REDACTED}; null stays null. */
  public String scrub(String text) {
    if (regex == null || text == null) {
      return text;
    }
    Pattern p = pattern;
    if (p == null) {
      p = Pattern.compile(regex);
      pattern = p;
    }
    return p.matcher(text).replaceAll(Matcher.quoteReplacement(REDACTED));
  }

  /** Only the number of values, never a value. */
  @Override
  public String toString() {
    return "Redactor[" + count + " values]";
  }
}
