package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The origins of a start tree's file, {@code file:line} by key, made on first use: shared by the
 * lazy values of one snapshot ({@link StartTreeValue}), which any reader thread may make.
 *
 * <p>The table's form in the file (format 3): the names its merged entries are made of, then each
 * entry. An object whose settings came from several files has a description of its own ({@code
 * merge of a.conf: 12,b.conf: 40,...}, Typesafe's), hundreds of bytes that share their file names
 * with every other such object: at 10,000 leaves, 1,000 of them were 300 KB of a 500 KB file,
 * hashed for its integrity check and decoded into strings on a fast restart's critical path
 * (issue 16). Such an entry is kept as its parts (a name's index and a line), and its text made
 * when an origin of it is asked for. The writer keeps a description in parts only when the parts
 * give back its exact text ({@link #write}), else as text.
 */
final class StartTreeOrigins {
  static final String MERGE_OF = "merge of ";

  private final String[] names;
  // Each entry: its text (a String), or its parts (an int[]: name index, line + 1, in pairs).
  private final Object[] entries;
  private final java.util.concurrent.ConcurrentHashMap<Long, ConfigOrigin> made =
      new java.util.concurrent.ConcurrentHashMap<>();

  StartTreeOrigins(String[] names, Object[] entries) {
    this.names = names;
    this.entries = entries;
  }

  /** A table of plain descriptions (tests; a table read whole). */
  StartTreeOrigins(String[] files) {
    this(new String[0], files.clone());
  }

  long key(int file, int line) {
    if (file < 0 || file >= entries.length) {
      throw new IllegalArgumentException("origin file");
    }
    return ((long) file << 32) | (line & 0xffffffffL);
  }

  ConfigOrigin get(long key) {
    return made.computeIfAbsent(key, k -> {
      ConfigOrigin o = ConfigOriginFactory.newSimple(description((int) (k >>> 32)));
      int line = (int) k.longValue();
      return line > 0 ? o.withLineNumber(line) : o;
    });
  }

  /** The description of entry {@code i}, as the writer was given it. */
  String description(int i) {
    Object e = entries[i];
    return e instanceof String s ? s : merged(names, (int[]) e);
  }

  /** Writes {@code descriptions} as the table (see the class); the reader is {@link #read}. */
  static void write(StartTree.Out out, Collection<String> descriptions) {
    Map<String, Integer> names = new LinkedHashMap<>();
    List<Object> entries = new ArrayList<>(descriptions.size());
    for (String d : descriptions) {
      int[] parts = parts(d, names);
      entries.add(parts != null ? parts : d);
    }
    out.strings(names.keySet());
    out.varint(entries.size());
    for (Object e : entries) {
      if (e instanceof String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.varint(b.length << 1);
        out.write(b, 0, b.length);
      } else {
        int[] parts = (int[]) e;
        out.varint((parts.length / 2) << 1 | 1);
        for (int p : parts) {
          out.varint(p);
        }
      }
    }
  }

  /** The table {@link #write} wrote; every name index checked, no description made. */
  static StartTreeOrigins read(StartTreeBytes in) {
    int n = in.count();
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = in.string();
    }
    int count = in.count();
    Object[] entries = new Object[count];
    for (int i = 0; i < count; i++) {
      int head = in.varint();
      if ((head & 1) == 0) {
        entries[i] = in.text(head >>> 1);
        continue;
      }
      int pairs = head >>> 1;
      if (pairs < 1 || pairs > in.remaining() / 2) {
        throw new IllegalArgumentException("merged origin");
      }
      int[] parts = new int[pairs * 2];
      for (int p = 0; p < parts.length; p += 2) {
        parts[p] = in.varint();
        parts[p + 1] = in.varint();
        if (parts[p] < 0 || parts[p] >= names.length || parts[p + 1] < 0) {
          throw new IllegalArgumentException("merged origin");
        }
      }
      entries[i] = parts;
    }
    return new StartTreeOrigins(names, entries);
  }

  /**
   * {@code d} as parts (name index into {@code names}, which it extends; line + 1, 0 for none),
   * or null when it is no merged description or its parts would not give back its exact text.
   */
  static int[] parts(String d, Map<String, Integer> names) {
    if (!d.startsWith(MERGE_OF)) {
      return null;
    }
    String[] split = d.substring(MERGE_OF.length()).split(",", -1);
    String[] partNames = new String[split.length];
    int[] lines = new int[split.length];
    for (int i = 0; i < split.length; i++) {
      String p = split[i];
      int colon = p.lastIndexOf(": ");
      int line = colon < 0 ? -1 : lineOf(p, colon + 2);
      partNames[i] = line < 0 ? p : p.substring(0, colon);
      lines[i] = line < 0 ? 0 : line + 1;
    }
    // The names this description adds, indexed after those known (not a copy of all of them per
    // description: hundreds of merged objects at 1,000 leaves, on the exit path; issue 16).
    Map<String, Integer> added = null;
    int[] parts = new int[split.length * 2];
    for (int i = 0; i < split.length; i++) {
      Integer at = names.get(partNames[i]);
      if (at == null) {
        if (added == null) {
          added = new LinkedHashMap<>();
        }
        at = added.get(partNames[i]);
        if (at == null) {
          at = names.size() + added.size();
          added.put(partNames[i], at);
        }
      }
      parts[2 * i] = at;
      parts[2 * i + 1] = lines[i];
    }
    // The parts name partNames[i] by their index: they give back d when these do.
    if (!mergedOf(partNames, lines).equals(d)) {
      return null; // not as Typesafe writes them: kept as text
    }
    if (added != null) {
      names.putAll(added);
    }
    return parts;
  }

  // merged(String[], int[]) of parts whose names are partNames and lines lines, in order.
  private static String mergedOf(String[] partNames, int[] lines) {
    StringBuilder b = new StringBuilder(MERGE_OF);
    for (int i = 0; i < partNames.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(partNames[i]);
      if (lines[i] > 0) {
        b.append(": ").append(lines[i] - 1);
      }
    }
    return b.toString();
  }

  // The line written at p[from..], in canonical decimal (as Typesafe writes it), or -1.
  private static int lineOf(String p, int from) {
    int n = p.length() - from;
    if (n < 1 || n > 9 || (p.charAt(from) == '0' && n > 1)) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static String merged(String[] names, int[] parts) {
    StringBuilder b = new StringBuilder(MERGE_OF);
    for (int p = 0; p < parts.length; p += 2) {
      if (p > 0) {
        b.append(',');
      }
      b.append(names[parts[p]]);
      if (parts[p + 1] > 0) {
        b.append(": ").append(parts[p + 1] - 1);
      }
    }
    return b.toString();
  }
}
