package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.internal.crypto.Hmac;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.LayerKind;
import io.qcfg.internal.tree.Origins;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * values lets the reader check that the secret layer still gives the same ones. A length-prefixed
 * binary file closed by an HMAC under the state dir's key; {@link StartTreeReader} reads it.
 *
 * <p>Values: a kind byte, the origin (index into the file table, line), then the payload.
 */
public final class StartTree {
  /** The file's name in the state directory. */
  public static final String NAME = "start-tree";

  static final String MAGIC = "qcfg-start-tree";
  static final int FORMAT = 1;
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
    Writer w = new Writer(s, secretsMac);
    w.collect(s.config().root(), "", false);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    DataOutputStream out = new DataOutputStream(bytes);
    writeString(out, MAGIC);
    out.writeInt(FORMAT);
    out.writeLong(s.version());
    writeString(out, s.checksum());
    writeString(out, s.environment());
    writeString(out, s.environmentSource());
    writeStrings(out, new TreeSet<>(s.secretLayerPaths()));
    writeStrings(out, secretPatterns);
    writeStrings(out, w.secretLeaves);
    out.writeInt(s.layerOf().size());
    for (var e : new java.util.TreeMap<>(s.layerOf()).entrySet()) {
      writeString(out, e.getKey());
      writeString(out, e.getValue().name());
    }
    writeStrings(out, w.files.keySet());
    w.value(out, s.config().root(), "", false);
    byte[] digest = w.secretDigest.doFinal();
    out.writeInt(digest.length);
    out.write(digest);
    out.flush();
    byte[] body = bytes.toByteArray();
    bytes.write(mac.doFinal(body));
    io.qcfg.internal.history.DurableFiles.replaceAtomically(file, bytes.toByteArray());
  }

  /** The digest input of one restored secret leaf (writer and reader agree on it). */
  static byte[] secretDigestInput(String path, ConfigValue v) {
    return (path + '\0' + v.valueType() + '\0' + v.unwrapped() + '\n')
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The origin as the reader rebuilds it: its file (as problems show it) and line. */
  static String fileOf(ConfigOrigin o) {
    String f = Origins.fileOf(o);
    return f == null ? "(unknown origin)" : f;
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void writeStrings(DataOutputStream out, java.util.Collection<String> all)
      throws IOException {
    out.writeInt(all.size());
    for (String s : all) {
      writeString(out, s);
    }
  }

  /** One walk to collect the origin files, one to write; secret leaves sealed on the way. */
  private static final class Writer {
    private final ConfigSnapshot s;
    private final Hmac secretDigest;
    private final Map<String, Integer> files = new LinkedHashMap<>();
    private final List<String> secretLeaves = new ArrayList<>();

    Writer(ConfigSnapshot s, Hmac secretDigest) {
      this.s = s;
      this.secretDigest = secretDigest;
    }

    // Before the header is written: the origin files, and the secret leaves in walk order.
    void collect(ConfigValue v, String path, boolean inList) {
      files.putIfAbsent(fileOf(v.origin()), files.size());
      boolean leaf = !inList && !path.isEmpty() && (!(v instanceof ConfigObject o)
          || o.isEmpty());
      if (leaf && s.isSecret(path)) {
        secretLeaves.add(path);
      }
      if (v instanceof ConfigObject o) {
        for (String k : new TreeSet<>(o.keySet())) { // values() is a set: equal values fold
          String q = ConfigPaths.quote(k);
          collect(o.get(k), inList ? path : path.isEmpty() ? q : path + "." + q, inList);
        }
      } else if (v instanceof com.typesafe.config.ConfigList l) {
        l.forEach(e -> collect(e, path, true));
      }
    }

    // inList: list elements are parts of one leaf, never leaves of their own.
    void value(DataOutputStream out, ConfigValue v, String path, boolean inList)
        throws IOException {
      ConfigValueType t = v.valueType();
      boolean leaf = !inList && !path.isEmpty()
          && (t != ConfigValueType.OBJECT || ((ConfigObject) v).isEmpty());
      if (leaf && s.isSecret(path)) {
        if (t != ConfigValueType.NULL && t != ConfigValueType.OBJECT) {
          secretDigest.update(secretDigestInput(path, v));
          out.writeByte(SEALED);
          origin(out, v);
          return;
        }
      }
      switch (t) {
        case NULL -> out.writeByte(NULL);
        case BOOLEAN -> out.writeByte(Boolean.TRUE.equals(v.unwrapped()) ? TRUE : FALSE);
        case NUMBER -> {
          Object n = v.unwrapped();
          out.writeByte(n instanceof Integer ? INT : n instanceof Long ? LONG : DOUBLE);
          origin(out, v);
          if (n instanceof Integer i) {
            out.writeInt(i);
          } else if (n instanceof Long l) {
            out.writeLong(l);
          } else if (n instanceof Double d) {
            out.writeDouble(d);
          } else {
            throw new IllegalStateException("a number of type " + n.getClass().getSimpleName());
          }
          writeString(out, v.render()); // its text as written (1.50, 1e3): renderings keep it
          return;
        }
        case STRING -> out.writeByte(STRING);
        case LIST -> out.writeByte(LIST);
        case OBJECT -> out.writeByte(OBJECT);
        default -> throw new IllegalStateException("a value of type " + t);
      }
      origin(out, v);
      if (t == ConfigValueType.STRING) {
        writeString(out, (String) v.unwrapped());
      } else if (v instanceof com.typesafe.config.ConfigList l) {
        out.writeInt(l.size());
        for (ConfigValue e : l) {
          value(out, e, path, true);
        }
      } else if (v instanceof ConfigObject o) {
        Set<String> keys = new TreeSet<>(o.keySet()); // the walk order of Leaves.collectLeaves
        out.writeInt(keys.size());
        for (String k : keys) {
          writeString(out, k);
          String q = ConfigPaths.quote(k);
          value(out, o.get(k), inList ? path : path.isEmpty() ? q : path + "." + q, inList);
        }
      }
    }

    private void origin(DataOutputStream out, ConfigValue v) throws IOException {
      out.writeInt(files.get(fileOf(v.origin())));
      out.writeInt(v.origin() == null ? -1 : v.origin().lineNumber());
    }
  }

  /** The layer kinds by name, for the reader. */
  static LayerKind kind(String name) {
    return LayerKind.valueOf(name);
  }
}
