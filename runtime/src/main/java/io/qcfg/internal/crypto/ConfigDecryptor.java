package io.qcfg.internal.crypto;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.Leaves;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The decrypt step of building a snapshot: replaces every {@code ENC[...]} string of a resolved
 * configuration, in objects and in lists, by its plaintext. Stateless.
 *
 * <p>Each value is decrypted for its own path ({@link ValueCipher}); list elements have their index
 * as last segment ({@code servers.0.password}), so reordering encrypted list elements breaks them.
 * A value copied whole by a substitution ({@code b = ${a}}, resolved before this step) sits at a
 * path it was not encrypted for; it is accepted when the very same {@code ENC} text decrypts at
 * another path of the same tree, since then the file already carries it where it belongs (whoever
 * can edit the tree could write that substitution anyway; path binding is about ciphertexts taken
 * from elsewhere). An {@code ENC} value inside a longer string (a concatenation) is not decrypted.
 *
 * <p>Problems: every failing value gives one problem (QCFG-4010 to QCFG-4014, see {@link
 * ValueCipher}); with no key ring every {@code ENC} value gives QCFG-4020. Problems are sorted by
 * path and none contains a plaintext or ciphertext.
 */
public final class ConfigDecryptor {
  // Compiled at the first string that holds "ENC[" without being an ENC value, not when the
  // class loads: every build loads it, few builds meet such a string (issue 16).
  private static final class Embedded {
    static final java.util.regex.Pattern PATTERN =
        java.util.regex.Pattern.compile("ENC\\[v[0-9]{1,3},");
  }

  /**
   * The outcome of {@link #decrypt}.
   *
   * @param config the configuration with every decryptable value replaced by its plaintext; a
   *     replaced value keeps its {@link ConfigOrigin}. Values that failed are left as they were. It
   *     holds plaintext secrets: never log it or render it without {@link SecretPaths}.
   * @param encryptedPaths every path that held an {@code ENC} value, decrypted or not, sorted
   * @param ciphertexts the distinct {@code ENC} texts found, for {@link Redactor}
   * @param problems one per value that could not be decrypted, sorted by path
   */
  public record Result(
      Config config, Set<String> encryptedPaths, Set<String> ciphertexts, List<Problem> problems) {
    public Result {
      encryptedPaths = Collections.unmodifiableSet(new TreeSet<>(encryptedPaths));
      ciphertexts = Set.copyOf(ciphertexts);
      problems = List.copyOf(problems);
    }

    /** Whether every value decrypted. */
    public boolean ok() {
      return problems.isEmpty();
    }

    /** Counts only: {@code config} holds plaintext. */
    @Override
    public String toString() {
      return "ConfigDecryptor.Result["
          + encryptedPaths.size()
          + " encrypted paths, "
          + problems.size()
          + " problems]";
    }
  }

  private ConfigDecryptor() {}

  /**
   * Decrypts with the default location of a value: its origin's file name (or, for values not from
   * a file, the origin's description) and line, {@code application.conf:12}.
   */
  public static Result decrypt(Config resolved, KeyRing ring) {
    return decrypt(resolved, ring, ConfigDecryptor::location);
  }

  /**
   * Decrypts every {@code ENC} string of {@code resolved}.
   *
   * @param resolved a resolved configuration ({@link Config#resolve()})
   * @param ring the key ring, or null when no key is configured
   * @param locator renders the origin of a failing value as a problem location ({@code file:line});
   *     lets the caller make file names relative to the configuration directory
   * @throws QcfgException.BugOrBroken if {@code resolved} is not resolved
   */
  public static Result decrypt(
      Config resolved, KeyRing ring, Function<ConfigOrigin, String> locator) {
    return decrypt(resolved, ring, locator, new EncFreeSubtrees());
  }

  /**
   * {@link #decrypt(Config, KeyRing, Function)}, asking {@code memo} which subtrees hold no
   * {@code ENC[} text: a reload walks only the objects new since the last build.
   */
  public static Result decrypt(Config resolved, KeyRing ring,
      Function<ConfigOrigin, String> locator, EncFreeSubtrees memo) {
    if (!resolved.isResolved()) {
      throw new QcfgException.BugOrBroken("decrypt called on an unresolved configuration", null);
    }
    if (!memo.mentionsEnc(resolved.root())) {
      return new Result(resolved, Set.of(), Set.of(), List.of()); // the usual case: no paths built
    }
    // Pass 1: find every ENC leaf and try it at its own path.
    Map<String, ConfigValue> encrypted = new TreeMap<>();
    Leaves.forEachLeaf(
        resolved.root(),
        (path, value) -> {
          if (value.valueType() == ConfigValueType.STRING
              && EncryptedValue.isEncrypted((String) value.unwrapped())) {
            encrypted.put(path, value);
          }
        });
    if (encrypted.isEmpty()) {
      return new Result(resolved, Set.of(), Set.of(), List.of());
    }
    Map<String, String> plain = new HashMap<>(); // path -> plaintext
    Map<String, String> byText = new HashMap<>(); // ENC text -> plaintext, for copies
    Map<String, Problem> failed = new TreeMap<>();
    Set<String> texts = new HashSet<>();
    encrypted.forEach(
        (path, value) -> {
          String text = (String) value.unwrapped();
          texts.add(text);
          String location = locator.apply(value.origin());
          if (ring == null) {
            failed.put(path, noKey(location, path, text));
            return;
          }
          try {
            String p = ValueCipher.decrypt(ring, location, path, text);
            plain.put(path, p);
            byText.put(text, p);
          } catch (QcfgException.Invalid e) {
            failed.put(path, e.problems().get(0));
          }
        });
    // Pass 2: an authentication failure on a whole-value copy of a value that decrypted.
    List<Problem> problems = new ArrayList<>();
    failed.forEach(
        (path, problem) -> {
          String copied = byText.get((String) encrypted.get(path).unwrapped());
          if (copied != null && problem.id().equals("QCFG-4013")) {
            plain.put(path, copied);
          } else {
            problems.add(problem);
          }
        });
    ConfigObject root = (ConfigObject) replace("", resolved.root(), plain);
    return new Result(root.toConfig(), encrypted.keySet(), texts, problems);
  }

  /**
   * Checks every {@code ENC} string of {@code resolved} without a key: its shape, format version
   * and key id ({@link EncryptedValue#parse}), not its content. The values stay as they are, opaque
   * strings; the offline CLI uses this so that CI can validate and render a production
   * configuration without the production key. Problems are QCFG-4010 and QCFG-4011.
   *
   * @param resolved a resolved configuration
   * @return {@code config} unchanged (it holds ciphertext where it held ciphertext), every
   *     {@code ENC} path, the texts and one problem per malformed value
   */
  public static Result checkShapes(Config resolved, Function<ConfigOrigin, String> locator) {
    return checkShapes(resolved, locator, new EncFreeSubtrees());
  }

  /** {@link #checkShapes(Config, Function)}, asking {@code memo} as {@link #decrypt} does. */
  public static Result checkShapes(Config resolved, Function<ConfigOrigin, String> locator,
      EncFreeSubtrees memo) {
    if (!memo.mentionsEnc(resolved.root())) {
      return new Result(resolved, Set.of(), Set.of(), List.of());
    }
    Set<String> paths = new TreeSet<>();
    Set<String> texts = new HashSet<>();
    List<Problem> problems = new ArrayList<>();
    Leaves.forEachLeaf(
        resolved.root(),
        (path, value) -> {
          if (value.valueType() == ConfigValueType.STRING
              && EncryptedValue.isEncrypted((String) value.unwrapped())) {
            String text = (String) value.unwrapped();
            paths.add(path);
            texts.add(text);
            try {
              EncryptedValue.parse(text, locator.apply(value.origin()), path);
            } catch (QcfgException.Invalid e) {
              problems.addAll(e.problems());
            }
          }
        });
    return new Result(resolved, paths, texts, problems);
  }

  /**
   * The outcome of {@link #decryptBeforeResolve}.
   *
   * @param config the merged tree with each reachable {@code ENC} value replaced by its plaintext
   *     (same origin); holds plaintext
   * @param ciphertexts for each replaced path, the {@code ENC} value it held, to seal history with
   * @param problems one per value that could not be decrypted, sorted by path
   */
  public record Early(Config config, Map<String, ConfigValue> ciphertexts, List<Problem> problems) {
    /** The decrypted texts, for {@link ForeignText}: never to be shown. */
    public List<String> plaintexts() {
      List<String> out = new ArrayList<>();
      for (String path : ciphertexts.keySet()) {
        try {
          out.add(config.getString(path));
        } catch (com.typesafe.config.ConfigException e) {
          // below an unresolved object: not replaced there, nothing to remember
        }
      }
      return out;
    }

    /** Counts only: {@code config} holds plaintext. */
    @Override
    public String toString() {
      return "ConfigDecryptor.Early[" + ciphertexts.size() + " decrypted, " + problems.size()
          + " problems]";
    }
  }

  /**
   * Decrypts every {@code ENC} value of a merged, <em>unresolved</em> tree at its own path, before
   * substitutions copy or concatenate it (issue 13 item 6: {@code auth = "Bearer "${api.token}}
   * must see the plaintext). Values under an unresolved merge or inside a list are left for
   * {@link #decrypt} after the resolve. With no key ring nothing is replaced (the later step
   * reports each value).
   */
  public static Early decryptBeforeResolve(
      Config merged, KeyRing ring, Function<ConfigOrigin, String> locator) {
    if (ring == null) {
      return new Early(merged, Map.of(), List.of()); // no walk: the later step reports each value
    }
    Map<String, ConfigValue> found = new TreeMap<>();
    collectEncrypted("", merged.root(), found);
    if (found.isEmpty()) {
      return new Early(merged, Map.of(), List.of());
    }
    Config out = merged;
    Map<String, ConfigValue> replaced = new TreeMap<>();
    List<Problem> problems = new ArrayList<>();
    for (var e : found.entrySet()) {
      String text = (String) e.getValue().unwrapped();
      try {
        String p = ValueCipher.decrypt(ring, locator.apply(e.getValue().origin()), e.getKey(), text);
        out = out.withValue(e.getKey(),
            ConfigValueFactory.fromAnyRef(p).withOrigin(e.getValue().origin()));
        replaced.put(e.getKey(), e.getValue());
      } catch (QcfgException.Invalid ex) {
        problems.addAll(ex.problems());
      }
    }
    return new Early(out, Collections.unmodifiableMap(replaced), problems);
  }

  /** ENC strings reachable through plain objects; unresolved parts are skipped. */
  private static void collectEncrypted(String path, ConfigObject obj, Map<String, ConfigValue> out) {
    java.util.Set<String> keys;
    try {
      keys = obj.keySet();
    } catch (com.typesafe.config.ConfigException e) {
      return; // an unresolved merge of objects
    }
    for (String key : keys) {
      ConfigValue child;
      ConfigValueType type;
      try {
        child = obj.get(key);
        type = child.valueType();
      } catch (com.typesafe.config.ConfigException e) {
        continue; // a substitution or an unresolved merge: resolved later, decrypted after
      }
      String childPath = ConfigPaths.child(path, key);
      if (type == ConfigValueType.OBJECT) {
        collectEncrypted(childPath, (ConfigObject) child, out);
      } else if (type == ConfigValueType.STRING
          && EncryptedValue.isEncrypted((String) child.unwrapped())) {
        out.put(childPath, child);
      }
    }
  }

  /**
   * Problems for resolved strings that hold an {@code ENC} value inside a longer text (a
   * concatenation of a value that could not be decrypted first): the candidate is rejected,
   * never handed ciphertext as its value.
   */
  public static List<Problem> embeddedCiphertexts(
      Config resolved, Function<ConfigOrigin, String> locator) {
    return embeddedCiphertexts(resolved, locator, new EncFreeSubtrees());
  }

  /**
   * {@link #embeddedCiphertexts(Config, Function)}; none without a walk when {@code memo}'s last
   * question (decrypt's or checkShapes', on the same tree) found no {@code ENC[} at all.
   */
  public static List<Problem> embeddedCiphertexts(
      Config resolved, Function<ConfigOrigin, String> locator, EncFreeSubtrees memo) {
    if (memo.knownFree(resolved.root())) {
      return List.of();
    }
    List<Problem> out = new ArrayList<>();
    Leaves.forEachLeaf(resolved.root(), (path, value) -> {
      if (value.valueType() == ConfigValueType.STRING) {
        String s = (String) value.unwrapped();
        // indexOf first: this walks every string of every build, most hold no "ENC[" at all
        if (s.contains(EncryptedValue.PREFIX) && !EncryptedValue.isEncrypted(s)
            && Embedded.PATTERN.matcher(s).find()) {
          out.add(new Problem("QCFG-4021", locator.apply(value.origin()), path,
              "expected a plaintext value, found an ENC[...] value inside a longer text: a"
                  + " substitution concatenates an encrypted value that could not be decrypted at"
                  + " its own path first (it is overridden through ${?...} or sits in a list);"
                  + " write the whole value encrypted, or substitute a plain ENC path"));
        }
      }
    });
    return out;
  }

  /** {@code value} with the leaves named in {@code plain} replaced; unchanged parts are shared. */
  private static ConfigValue replace(String path, ConfigValue value, Map<String, String> plain) {
    if (value instanceof ConfigObject obj) {
      ConfigObject out = obj;
      for (var e : obj.entrySet()) {
        ConfigValue child = e.getValue();
        ConfigValue next = replace(ConfigPaths.child(path, e.getKey()), child, plain);
        if (next != child) {
          out = out.withValue(e.getKey(), next);
        }
      }
      return out;
    }
    if (value instanceof ConfigList list) {
      List<ConfigValue> items = new ArrayList<>(list);
      boolean changed = false;
      for (int i = 0; i < items.size(); i++) {
        ConfigValue child = items.get(i);
        ConfigValue next = replace(path.isEmpty() ? "" + i : path + "." + i, child, plain);
        if (next != child) {
          items.set(i, next);
          changed = true;
        }
      }
      return changed ? ConfigValueFactory.fromIterable(items).withOrigin(list.origin()) : list;
    }
    String p = plain.get(path);
    return p == null ? value : ConfigValueFactory.fromAnyRef(p).withOrigin(value.origin());
  }

  private static Problem noKey(String location, String path, String text) {
    String keyId;
    try {
      keyId = " for key '" + EncryptedValue.parse(text, location, path).keyId() + "'";
    } catch (QcfgException.Invalid e) {
      keyId = "";
    }
    return new Problem(
        "QCFG-4020",
        location,
        path,
        "expected a key to decrypt this ENC value"
            + keyId
            + ", found no key configured: set the key option (--key, -Dqcfg.key, QCFG_KEY)");
  }

  /** {@code file:line} from a Typesafe origin, the description when there is no file. */
  static String location(ConfigOrigin origin) {
    String where = origin.filename() != null ? origin.filename() : origin.description();
    if (origin.filename() != null && origin.lineNumber() > 0) {
      return where + ":" + origin.lineNumber();
    }
    return where;
  }
}
