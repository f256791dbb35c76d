package io.qcfg.internal.crypto;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import io.qcfg.internal.tree.Leaves;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
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
      for (String v : values) {
        for (int i = 0; i < v.length(); i++) {
          if (Character.isSurrogate(v.charAt(i))) {
            return new ByRegex(values);
          }
        }
      }
      return new ByPrefix(values);
    }

    // Where two values match at a position the longest wins; of equal length only one can.
    private static int longestFirst(String a, String b) {
      return a.length() != b.length() ? b.length() - a.length() : a.compareTo(b);
    }

    /** The alternation of the quoted values, longest first, as a regex. */
    final class ByRegex implements Lookup {
      private final Pattern pattern;
      private final int count;

      ByRegex(String[] values) {
        // Longest first: the alternation takes the first alternative that matches at a position.
        String[] sorted = new LinkedHashSet<>(Arrays.asList(values)).toArray(new String[0]);
        Arrays.sort(sorted, Lookup::longestFirst);
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

      // Two passes over the values, no map and no global sort (this runs cold, on the first
      // scrub after a fast restart's publish, issue 16): count the values of each slot, then
      // place them, each slot sorted longest first, repeats dropped.
      ByPrefix(String[] values) {
        int size = Integer.highestOneBit(Math.max(2, values.length) * 2) * 2;
        keys = new long[size];
        mask = size - 1;
        int[] sizes = new int[size];
        int[] slotOf = new int[values.length];
        for (int j = 0; j < values.length; j++) {
          long k = key(values[j], 0);
          int i = slot(k);
          while (sizes[i] != 0 && keys[i] != k) {
            i = (i + 1) & mask;
          }
          keys[i] = k;
          sizes[i]++;
          slotOf[j] = i;
        }
        slots = new String[size][];
        for (int i = 0; i < size; i++) {
          if (sizes[i] != 0) {
            slots[i] = new String[sizes[i]];
            sizes[i] = 0; // now the number placed
          }
        }
        for (int j = 0; j < values.length; j++) {
          int i = slotOf[j];
          slots[i][sizes[i]++] = values[j];
        }
        int distinct = 0;
        for (int i = 0; i < size; i++) {
          if (slots[i] != null) {
            slots[i] = sortedDistinct(slots[i]);
            distinct += slots[i].length;
          }
        }
        count = distinct;
      }

      // A slot's values, longest first, each once: an insertion sort for the usual few; a merge
      // sort for many, as when values share their first characters (hosts, tokens of one kind:
      // at 2,000 secrets, 400 in a slot sorted by insertion took 4 ms, cold, issue 16).
      private static String[] sortedDistinct(String[] in) {
        if (in.length > 16) {
          String[] sorted = in.clone();
          Arrays.sort(sorted, Lookup::longestFirst);
          int n = 0;
          for (String v : sorted) {
            if (n == 0 || !sorted[n - 1].equals(v)) {
              sorted[n++] = v;
            }
          }
          return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
        }
        String[] out = new String[in.length];
        int n = 0;
        for (String v : in) {
          int at = n;
          while (at > 0 && longestFirst(out[at - 1], v) > 0) {
            at--;
          }
          if (at > 0 && out[at - 1].equals(v)) {
            continue; // a repeat
          }
          System.arraycopy(out, at, out, at + 1, n - at);
          out[at] = v;
          n++;
        }
        return n == in.length ? out : Arrays.copyOf(out, n);
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
