package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.internal.crypto.Hmac;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.LayerKind;
import io.qcfg.internal.tree.Origins;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The active snapshot in the compact form the fast restart reads (issue 16):
 * {@code <state>/start-tree}, written next to the fingerprint of the inputs. It holds what the
 * snapshot needs without Typesafe's parser: the tree (keys sorted, every value with its origin as
 * {@code file:line}), the secret marks, the layer of each file, the checksum. Plaintext secrets
 * are sealed as history seals them ({@link ConfigSnapshot#SEALED}); a keyed digest of their
 * values lets the reader check that the secret layer still gives the same ones. A binary file
 * closed by an HMAC under the state dir's key; {@link StartTreeReader} reads it.
 *
 * <p>Format 2 (format 1 wrote fixed four-byte lengths, origins and numbers, and every secret
 * path twice as text: 80 bytes a leaf, all read cold at a restart). The magic and the format
 * number keep format 1's spelling, so that any format is recognised; then every count, length,
 * origin and integer is a varint. An object's entry: its key as the path spells it ({@link
 * ConfigPaths#quote}; the length's low bit says whether the key itself follows, when quoting
 * changed it), a kind byte with flags (a secret leaf, a path of the secret layer, a number's
 * text as written), the origin (file index, line + 1), then the payload. Secret leaves and the
 * secret layer's paths are flags on the leaves they name, so the reader takes their paths from
 * the walk; secret layer paths that are no leaf of the tree follow the header as text.
 */
public final class StartTree {
  /** The file's name in the state directory. */
  public static final String NAME = "start-tree";

  static final String MAGIC = "qcfg-start-tree";
  static final int FORMAT = 3;
  static final int MAC_BYTES = 32;
  static final byte NULL = 0;
  static final byte TRUE = 1;
  static final byte FALSE = 2;
  static final byte INT = 3;
  static final byte LONG = 4;
  static final byte DOUBLE = 5;
  static final byte STRING = 6;
  static final byte LIST = 7;
  static final byte OBJECT = 8;
  static final byte SEALED = 9;
  /** Kind flags: the low four bits are the kind. */
  static final int KIND = 0x0f;
  static final int SECRET_LEAF = 0x10;
  static final int SECRET_LAYER = 0x20;
  static final int TEXT = 0x40;

  private StartTree() {}

  /** Whether {@link #write} can keep {@code s}: not when it holds {@code ENC} values. */
  public static boolean keeps(ConfigSnapshot s) {
    return s.encryptedPaths().isEmpty();
  }

  /**
   * Writes {@code s} to {@code file} under {@code mac}; a crash leaves the old file or this one.
   *
   * @param secretPatterns the secret patterns of the schema that decided {@code s}
   * @param secretsMac keys the digest of the plaintext secrets (never written in clear)
   * @throws IllegalStateException when a value has a type this form does not hold
   */
  public static void write(ConfigSnapshot s, List<String> secretPatterns, Path file, Hmac mac,
      Hmac secretsMac) throws IOException {
    if (!keeps(s)) {
      throw new IllegalStateException("ENC values");
    }
    // One walk writes the values and meets the origin files and the leaves' paths, which the
    // header lists before them (two walks were ~50 ms of cold code at 1,000 leaves).
    Writer w = new Writer(s, secretsMac);
    Out values = new Out(64 * 1024);
    w.value(values, s.config().root(), "", false);
    Out out = new Out(values.size() + 4 * 1024);
    out.fixedString(MAGIC);
    out.fixedInt(FORMAT);
    out.fixedLong(s.version());
    out.string(s.checksum());
    out.string(s.environment());
    out.string(s.environmentSource());
    out.strings(secretPatterns);
    out.varint(s.layerOf().size());
    for (var e : new java.util.TreeMap<>(s.layerOf()).entrySet()) {
      out.string(e.getKey());
      out.string(e.getValue().name());
    }
    StartTreeOrigins.write(out, w.files.keySet());
    Set<String> otherSecretLayerPaths = new TreeSet<>(s.secretLayerPaths());
    otherSecretLayerPaths.removeAll(w.secretLayerLeaves);
    out.strings(otherSecretLayerPaths);
    out.append(values);
    byte[] digest = w.secretDigest.doFinal();
    out.varint(digest.length);
    out.write(digest, 0, digest.length);
    mac.update(out.buffer(), 0, out.size()); // the body, not copied out twice
    out.write(mac.doFinal(), 0, MAC_BYTES);
    io.qcfg.internal.history.DurableFiles.replaceAtomically(file, out.buffer(), out.size());
  }

  /**
   * The digest input of one restored secret leaf (writer and reader agree on it): its type and
   * its value's text, length first. Not its path: the leaves are digested in the walk's order,
   * which the file's own MAC fixes (format 2 hashed each path too, 2,000 of them at 10,000
   * leaves, on a fast restart's critical path; issue 16).
   */
  static byte[] secretDigestInput(ConfigValue v) {
    byte[] text = String.valueOf(v.unwrapped()).getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[5 + text.length];
    b[0] = (byte) v.valueType().ordinal();
    b[1] = (byte) (text.length >>> 24);
    b[2] = (byte) (text.length >>> 16);
    b[3] = (byte) (text.length >>> 8);
    b[4] = (byte) text.length;
    System.arraycopy(text, 0, b, 5, text.length);
    return b;
  }

  /** The origin as the reader rebuilds it: its file (as problems show it) and line. */
  static String fileOf(ConfigOrigin o) {
    String f = Origins.fileOf(o);
    return f == null ? "(unknown origin)" : f;
  }

  /**
   * The bytes of the file: varints (7 bits a byte, low first) and fixed big-endian fields. Not a
   * {@code ByteArrayOutputStream}: its writes are synchronized, a lock per byte of a file written
   * byte by byte, cold, on a short-lived JVM's exit path (issue 16). One thread.
   */
  static final class Out {
    private byte[] buf;
    private int count;

    Out(int size) {
      buf = new byte[size];
    }

    void write(int b) {
      if (count == buf.length) {
        grow(1);
      }
      buf[count++] = (byte) b;
    }

    void write(byte[] b, int off, int len) {
      if (len > buf.length - count) {
        grow(len);
      }
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    private void grow(int more) {
      buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, Math.addExact(count, more)));
    }

    int size() {
      return count;
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, count);
    }

    void fixedInt(int v) {
      write(v >>> 24);
      write(v >>> 16);
      write(v >>> 8);
      write(v);
    }

    void fixedLong(long v) {
      fixedInt((int) (v >>> 32));
      fixedInt((int) v);
    }

    void varint(int v) {
      varlong(v & 0xffffffffL);
    }

    void varlong(long v) {
      long x = v;
      while ((x & ~0x7fL) != 0) {
        write((int) (x & 0x7f) | 0x80);
        x >>>= 7;
      }
      write((int) x);
    }

    /** A signed number, zigzag-encoded: small magnitudes take few bytes either way. */
    void signed(long v) {
      varlong((v << 1) ^ (v >> 63));
    }

    /** The magic's spelling in every format: a four-byte length, then the UTF-8. */
    void fixedString(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      fixedInt(b.length);
      write(b, 0, b.length);
    }

    /** The bytes written so far are its first {@link #size()}; not a copy. */
    byte[] buffer() {
      return buf;
    }

    /** Appends everything {@code other} holds. */
    void append(Out other) {
      write(other.buf, 0, other.count);
    }

    void string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      varint(b.length);
      write(b, 0, b.length);
    }

    void strings(java.util.Collection<String> all) {
      varint(all.size());
      for (String s : all) {
        string(s);
      }
    }
  }

  /**
   * The walk that writes the values (secrets sealed) and gathers what the header lists first: the
   * origin files, indexed in the order they are met, and the secret layer's paths that are leaves.
   */
  private static final class Writer {
    // Numbers render alike under any options; render() made new default options per number.
    private static final com.typesafe.config.ConfigRenderOptions DEFAULTS =
        com.typesafe.config.ConfigRenderOptions.defaults();

    private final ConfigSnapshot s;
    private final Set<String> secretLayer;
    private final Hmac secretDigest;
    private final Map<String, Integer> files = new LinkedHashMap<>();
    // The leaves met that are paths of the secret layer (flagged on them, not listed).
    private final Set<String> secretLayerLeaves = new java.util.HashSet<>();

    Writer(ConfigSnapshot s, Hmac secretDigest) {
      this.s = s;
      this.secretLayer = s.secretLayerPaths();
      this.secretDigest = secretDigest;
    }

    // inList: list elements are parts of one leaf, never leaves of their own. The kind byte of
    // a leaf carries its secret flags.
    void value(Out out, ConfigValue v, String path, boolean inList) {
      ConfigValueType t = v.valueType();
      boolean leaf = !inList && !path.isEmpty()
          && (t != ConfigValueType.OBJECT || ((ConfigObject) v).isEmpty());
      int flags = 0;
      if (leaf) {
        // The build's set of secret leaves when it gave one: the rule cut every path into
        // segments, ~15% of this walk, on a short-lived JVM's exit path (issue 16).
        flags = s.isSecretLeaf(path) ? SECRET_LEAF : 0;
        if (!secretLayer.isEmpty() && secretLayer.contains(path)) {
          flags |= SECRET_LAYER;
          secretLayerLeaves.add(path);
        }
        // A list that holds a secret (servers.0.password) is sealed whole: its leaf is no
        // secret, but no plaintext secret is written; the secret layer must give it back.
        if ((flags & SECRET_LEAF) != 0 && t != ConfigValueType.NULL
            && t != ConfigValueType.OBJECT
            || t == ConfigValueType.LIST && holdsSecret((com.typesafe.config.ConfigList) v, path)) {
          secretDigest.update(secretDigestInput(v));
          out.write(SEALED | flags);
          origin(out, v);
          return;
        }
      }
      switch (t) {
        case NULL -> out.write(NULL | flags);
        case BOOLEAN -> out.write((Boolean.TRUE.equals(v.unwrapped()) ? TRUE : FALSE) | flags);
        case NUMBER -> {
          number(out, v, flags);
          return;
        }
        case STRING -> out.write(STRING | flags);
        case LIST -> out.write(LIST | flags);
        case OBJECT -> out.write(OBJECT | flags);
        default -> throw new IllegalStateException("a value of type " + t);
      }
      origin(out, v);
      if (t == ConfigValueType.STRING) {
        out.string((String) v.unwrapped());
      } else if (v instanceof com.typesafe.config.ConfigList l) {
        out.varint(l.size());
        for (ConfigValue e : l) {
          value(out, e, path, true);
        }
      } else if (v instanceof ConfigObject o) {
        String[] keys = o.keySet().toArray(new String[0]); // the walk order of
        java.util.Arrays.sort(keys); // Leaves.collectLeaves (a TreeSet's, without its entries)
        out.varint(keys.length);
        for (String k : keys) {
          String q = ConfigPaths.quote(k);
          if (inList) {
            out.string(k); // no path inside a list
          } else {
            key(out, k, q);
          }
          value(out, o.get(k), inList ? path : path.isEmpty() ? q : path + "." + q, inList);
        }
      }
    }

    private boolean holdsSecret(com.typesafe.config.ConfigList list, String path) {
      Set<String> known = s.leavesHoldingSecrets();
      return known != null ? known.contains(path) : Canonical.holdsSecret(list, path, s::isSecret);
    }

    // Its text as written (1.50, 1e3) only where it is not the number's own (renderings keep
    // it); the reader makes the others without one, and they render the same.
    private void number(Out out, ConfigValue v, int flags) {
      Object n = v.unwrapped();
      String text = v.render(DEFAULTS);
      boolean own = text.equals(String.valueOf(n));
      out.write((n instanceof Integer ? INT : n instanceof Long ? LONG : DOUBLE) | flags
          | (own ? 0 : TEXT));
      origin(out, v);
      if (n instanceof Integer i) {
        out.signed(i);
      } else if (n instanceof Long l) {
        out.signed(l);
      } else if (n instanceof Double d) {
        out.fixedLong(Double.doubleToRawLongBits(d));
      } else {
        throw new IllegalStateException("a number of type " + n.getClass().getSimpleName());
      }
      if (!own) {
        out.string(text);
      }
    }

    // The key as the path spells it; the key itself after it when quoting changed it.
    private static void key(Out out, String key, String quoted) {
      byte[] q = quoted.getBytes(StandardCharsets.UTF_8);
      boolean same = quoted.equals(key);
      out.varint(q.length << 1 | (same ? 0 : 1));
      out.write(q, 0, q.length);
      if (!same) {
        out.string(key);
      }
    }

    private void origin(Out out, ConfigValue v) {
      String file = fileOf(v.origin());
      Integer index = files.get(file);
      if (index == null) {
        index = files.size();
        files.put(file, index);
      }
      out.varint(index);
      out.varint(v.origin() == null ? 0 : v.origin().lineNumber() + 1);
    }
  }

  /** The layer kinds by name, for the reader. */
  static LayerKind kind(String name) {
    return LayerKind.valueOf(name);
  }
}
