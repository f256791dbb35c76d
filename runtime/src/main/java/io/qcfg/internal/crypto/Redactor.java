package io.qcfg.internal.crypto;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import io.qcfg.internal.tree.Leaves;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Making one only keeps the values; the lookup is built on the first scrub (a fast restart
 * learns its secrets before its publish, issue 16). The lookup is a table of the values by their
 * first {@link #MIN_LENGTH} characters, scanned left to right, which gives what the alternation of
 * the values, longest first, gives with {@link Matcher#replaceAll} ({@code RedactorTest}'s
 * differential property); values with a surrogate character take that regex itself ({@link
 * Lookup.ByRegex}), since a regex with a supplementary character matches by code points.
 */
public final class Redactor {
  /** What a secret is replaced with, everywhere in qcfg. */
  public static final String REDACTED = "<redacted>";

  /** Values shorter than this are not scrubbed. */
  public static final int MIN_LENGTH = 4; // Lookup.ByPrefix packs this many chars into a long

  private static final Redactor NONE = new Redactor(new String[0]);

  private final String[] values; // each at least MIN_LENGTH long, repeats allowed, any order
  // Built on the first scrub; two threads that race both build the same, either is kept.
  private volatile Lookup lookup;

  private Redactor(String[] values) {
    this.values = values;
  }

  /**
   * A redactor for {@code values}: plaintexts and their {@code ENC[...]} texts alike. Null and
   * short values are skipped.
   */
  public static Redactor of(Collection<String> values) {
    String[] kept = new String[values.size()];
    int n = 0;
    for (String v : values) {
      if (v != null && v.length() >= MIN_LENGTH) {
        kept[n++] = v;
      }
    }
    return n == 0 ? NONE : new Redactor(Arrays.copyOf(kept, n));
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
    if (values.length == 0 || text == null) {
      return text;
    }
    return lookup().scrub(text);
  }

  private Lookup lookup() {
    Lookup l = lookup;
    if (l == null) {
      l = Lookup.of(values);
      lookup = l;
    }
    return l;
  }

  /** Only the number of values, never a value. */
  @Override
  public String toString() {
    return "Redactor[" + (values.length == 0 ? 0 : lookup().count()) + " values]";
  }

  /** How a redactor finds its values in a text. */
  private interface Lookup {
    String scrub(String text);

    int count(); // distinct values

    static Lookup of(String[] values) {
      // Longest first (then by text, for a stable order): where two values match at a position,
      // the first tried wins.
      String[] sorted = new LinkedHashSet<>(Arrays.asList(values)).toArray(new String[0]);
      Arrays.sort(sorted, (a, b) -> a.length() != b.length() ? b.length() - a.length()
          : a.compareTo(b));
      for (String v : sorted) {
        for (int i = 0; i < v.length(); i++) {
          if (Character.isSurrogate(v.charAt(i))) {
            return new ByRegex(sorted);
          }
        }
      }
      return new ByPrefix(sorted);
    }

    /** The alternation of the quoted values, longest first, as a regex. */
    final class ByRegex implements Lookup {
      private final Pattern pattern;
      private final int count;

      ByRegex(String[] sorted) {
        List<String> quoted = new ArrayList<>();
        for (String v : sorted) {
          quoted.add(Pattern.quote(v));
        }
        this.pattern = Pattern.compile(String.join("|", quoted));
        this.count = sorted.length;
      }

      @Override
      public String scrub(String text) {
        return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(REDACTED));
      }

      @Override
      public int count() {
        return count;
      }
    }

    /**
     * An open-addressing table from the first {@link #MIN_LENGTH} characters of the values,
     * packed into a long, to the values that begin so, longest first. At each position of the
     * text the longest value that starts there is replaced and the scan goes on after it; where
     * none does, one character on: the regex's leftmost-first search over the same alternation.
     */
    final class ByPrefix implements Lookup {
      private final long[] keys;
      private final String[][] slots; // null where no key
      private final int mask;
      private final int count;

      ByPrefix(String[] sorted) {
        Map<Long, List<String>> byKey = new HashMap<>();
        for (String v : sorted) { // each list stays longest first
          byKey.computeIfAbsent(key(v, 0), k -> new ArrayList<>()).add(v);
        }
        int size = Integer.highestOneBit(Math.max(2, byKey.size()) * 2) * 2;
        keys = new long[size];
        slots = new String[size][];
        mask = size - 1;
        for (Map.Entry<Long, List<String>> e : byKey.entrySet()) {
          long k = e.getKey();
          int i = slot(k);
          while (slots[i] != null) {
            i = (i + 1) & mask;
          }
          keys[i] = k;
          slots[i] = e.getValue().toArray(new String[0]);
        }
        count = sorted.length;
      }

      private static long key(String s, int at) {
        long k = 0;
        for (int i = at; i < at + MIN_LENGTH; i++) {
          k = (k << 16) | s.charAt(i);
        }
        return k;
      }

      private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
      }

      @Override
      public String scrub(String text) {
        StringBuilder out = null;
        int copied = 0;
        int at = 0;
        while (at + MIN_LENGTH <= text.length()) {
          String v = longestAt(text, at);
          if (v == null) {
            at++;
            continue;
          }
          if (out == null) {
            out = new StringBuilder(text.length());
          }
          out.append(text, copied, at).append(REDACTED);
          at += v.length();
          copied = at;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
      }

      private String longestAt(String text, int at) {
        long k = key(text, at);
        for (int i = slot(k); slots[i] != null; i = (i + 1) & mask) {
          if (keys[i] == k) {
            for (String v : slots[i]) {
              if (text.startsWith(v, at)) {
                return v;
              }
            }
            return null;
          }
        }
        return null;
      }

      @Override
      public int count() {
        return count;
      }
    }
  }
}
