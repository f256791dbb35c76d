package io.qcfg.internal.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A line diff by longest common subsequence, and its rendering as a unified diff ({@code ---
 * a/file}, {@code +++ b/file}, {@code @@} hunks with three lines of context).
 *
 * <p>The common prefix and suffix are trimmed first, so the quadratic table only covers the changed
 * middle; a middle too big for the table ({@value #MAX_CELLS} cells) is reported as wholly
 * replaced, which is still a correct diff, only a coarse one.
 */
final class LineDiff {

  /** One edit: keep, delete or insert one line. {@code a}/{@code b} index the old/new lines. */
  record Op(char kind, int a, int b, String line) {
    static final char KEEP = ' ';
    static final char DELETE = '-';
    static final char INSERT = '+';
  }

  private static final int MAX_CELLS = 4_000_000;
  private static final int CONTEXT = 3;

  // A key whose last segment names a credential, or an ENC[...] value: the rest of the line is
  // hidden in a printed diff (DESIGN.md, Security). The file itself is rewritten unchanged.
  private static final Pattern SECRET_LINE =
      Pattern.compile(
          "^(\\s*[^=:{\\s]*?(?i:password|secret|token|key|credential)[^=:{\\s]*\\s*[=:]).*$");

  private LineDiff() {}

  /** The edits that turn {@code a} into {@code b}, in order. */
  static List<Op> diff(List<String> a, List<String> b) {
    int start = 0;
    while (start < a.size() && start < b.size() && a.get(start).equals(b.get(start))) {
      start++;
    }
    int endA = a.size();
    int endB = b.size();
    while (endA > start && endB > start && a.get(endA - 1).equals(b.get(endB - 1))) {
      endA--;
      endB--;
    }
    List<Op> ops = new ArrayList<>(Math.max(a.size(), b.size()));
    for (int i = 0; i < start; i++) {
      ops.add(new Op(Op.KEEP, i, i, a.get(i)));
    }
    middle(a, b, start, endA, start, endB, ops);
    for (int i = endA, j = endB; i < a.size(); i++, j++) {
      ops.add(new Op(Op.KEEP, i, j, a.get(i)));
    }
    return ops;
  }

  private static void middle(
      List<String> a, List<String> b, int a0, int a1, int b0, int b1, List<Op> ops) {
    int n = a1 - a0;
    int m = b1 - b0;
    if ((long) (n + 1) * (m + 1) > MAX_CELLS) {
      for (int i = a0; i < a1; i++) {
        ops.add(new Op(Op.DELETE, i, -1, a.get(i)));
      }
      for (int j = b0; j < b1; j++) {
        ops.add(new Op(Op.INSERT, -1, j, b.get(j)));
      }
      return;
    }
    // lcs[i][j] = length of the LCS of a[a0+i..a1) and b[b0+j..b1)
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] =
            a.get(a0 + i).equals(b.get(b0 + j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(a0 + i).equals(b.get(b0 + j))) {
        ops.add(new Op(Op.KEEP, a0 + i, b0 + j, a.get(a0 + i)));
        i++;
        j++;
      } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        // Deletions before insertions reads better, so insert only when it is strictly better.
        if (i < n && lcs[i][j + 1] == lcs[i + 1][j]) {
          ops.add(new Op(Op.DELETE, a0 + i, -1, a.get(a0 + i)));
          i++;
        } else {
          ops.add(new Op(Op.INSERT, -1, b0 + j, b.get(b0 + j)));
          j++;
        }
      } else {
        ops.add(new Op(Op.DELETE, a0 + i, -1, a.get(a0 + i)));
        i++;
      }
    }
  }

  /**
   * A unified diff of one file, or {@code ""} when the texts are equal. Lines that carry a
   * credential-named key or an {@code ENC[...]} value show the key only.
   */
  static String unified(String name, String oldText, String newText) {
    List<String> a = lines(oldText);
    List<String> b = lines(newText);
    List<Op> ops = diff(a, b);
    if (ops.stream().allMatch(op -> op.kind() == Op.KEEP)) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    out.append("--- a/").append(name).append('\n').append("+++ b/").append(name).append('\n');
    int k = 0;
    while (k < ops.size()) {
      if (ops.get(k).kind() == Op.KEEP) {
        k++;
        continue;
      }
      // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change
      // that is no further than 2*CONTEXT unchanged lines from the previous one.
      int from = Math.max(0, k - CONTEXT);
      int end = k;
      int quiet = 0;
      for (int x = k; x < ops.size(); x++) {
        if (ops.get(x).kind() == Op.KEEP) {
          if (++quiet > 2 * CONTEXT) {
            break;
          }
        } else {
          quiet = 0;
          end = x;
        }
      }
      int to = Math.min(ops.size(), end + 1 + CONTEXT);
      appendHunk(out, ops.subList(from, to));
      k = to;
    }
    return out.toString();
  }

  private static void appendHunk(StringBuilder out, List<Op> hunk) {
    int aStart = -1;
    int bStart = -1;
    int aCount = 0;
    int bCount = 0;
    for (Op op : hunk) {
      if (op.kind() != Op.INSERT) {
        aStart = aStart < 0 ? op.a() : aStart;
        aCount++;
      }
      if (op.kind() != Op.DELETE) {
        bStart = bStart < 0 ? op.b() : bStart;
        bCount++;
      }
    }
    out.append("@@ -")
        .append(range(aStart, aCount, hunk, true))
        .append(" +")
        .append(range(bStart, bCount, hunk, false))
        .append(" @@\n");
    for (Op op : hunk) {
      out.append(op.kind()).append(redact(op.line())).append('\n');
    }
  }

  private static String range(int start, int count, List<Op> hunk, boolean old) {
    if (count == 0) {
      // An empty side names the line before the hunk, as diff -u does.
      int before = 0;
      for (Op op : hunk) {
        int idx = old ? op.a() : op.b();
        if (idx >= 0) {
          before = idx;
          break;
        }
      }
      return before + ",0";
    }
    return (start + 1) + "," + count;
  }

  static String redact(String line) {
    int enc = line.indexOf("ENC[");
    if (enc >= 0) {
      int sep = -1;
      for (int i = 0; i < enc && sep < 0; i++) {
        sep = line.charAt(i) == '=' || line.charAt(i) == ':' ? i : -1;
      }
      return sep < 0 ? "<redacted>" : line.substring(0, sep + 1) + " <redacted>";
    }
    var m = SECRET_LINE.matcher(line);
    return m.matches() ? m.group(1) + " <redacted>" : line;
  }

  /** The lines of {@code text}, without their line ends; a final newline adds no empty line. */
  static List<String> lines(String text) {
    List<String> out = new ArrayList<>(List.of(text.split("\r?\n", -1)));
    if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }
}
