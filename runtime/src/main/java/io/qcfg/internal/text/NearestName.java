package io.qcfg.internal.text;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean ...?" for a name that is not known: the known name with the smallest edit
 * distance (Damerau–Levenshtein, optimal string alignment), if it is close enough to be a typo.
 */
public final class NearestName {
  private NearestName() {}

  /**
   * The known name nearest to {@code given}, when at most a third of its characters (at least one)
   * would have to change; ties go to the first in {@code known}'s order.
   */
  public static Optional<String> of(String given, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int allowed = Math.max(1, given.length() / 3);
    for (String k : known) {
      int d = distance(given, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** {@code " (did you mean 'x'?)"}, or the empty string when nothing is close. */
  public static String hint(String given, Collection<String> known) {
    return of(given, known).map(n -> " (did you mean '" + n + "'?)").orElse("");
  }

  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1); // a transposition: "dri" for "dir"
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
