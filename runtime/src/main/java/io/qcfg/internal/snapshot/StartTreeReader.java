package io.qcfg.internal.snapshot;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.qcfg.internal.crypto.Hmac;
import io.qcfg.internal.crypto.SecretPaths;
import io.qcfg.internal.log.StartupTrace;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.LayerKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads {@link StartTree}'s file straight into a {@link ConfigSnapshot}: the leaves at once, the
 * Typesafe tree only when something asks for it ({@link ConfigSnapshot#config()}), so a fast
 * restart loads none of Typesafe's parser before the first bound field (issue 16).
 */
public final class StartTreeReader {
  /**
   * Gives the value of a sealed secret leaf from the secret layer, or null when it has none; the
   * leaf is named by its keys (the walk knows them: no path text to parse, issue 16).
   */
  public interface Unsealer {
    ConfigValue value(List<String> keys);
  }

  /** The file is there but cannot be trusted: edited, truncated, another key's or format. */
  public static final class Broken extends Exception {
    private static final long serialVersionUID = 1L;

    Broken(String message) {
      super(message, null, false, false);
    }
  }

  /** The file is intact but cannot serve this start (another version, a secret changed). */
  public static final class NotServed extends Exception {
    private static final long serialVersionUID = 1L;

    NotServed(String message) {
      super(message, null, false, false);
    }
  }

  private final StartTreeBytes in;
  private final Unsealer unseal;
  private final Hmac secretDigest;
  private final LeafTable.Builder leaves = new LeafTable.Builder(256);
  private StartTreeOrigins origins;
  private boolean secretMissing;
  private final List<Pending> sealed = new ArrayList<>(); // unsealed after the walk

  private StartTreeReader(StartTreeBytes in, Unsealer unseal, Hmac secretDigest) {
    this.in = in;
    this.unseal = unseal;
    this.secretDigest = secretDigest;
  }

  /**
   * The snapshot kept in {@code file} as a candidate (created now, cause "candidate"), or null when
   * there is no file.
   *
   * @param version the version the fingerprint of the inputs names
   * @param checksum its checksum
   * @throws Broken when the file is not intact
   * @throws NotServed when it is intact but not of that version, or its secrets changed
   */
  public static ConfigSnapshot read(Path file, Hmac mac, Hmac secretsMac, long version,
      String checksum, Unsealer unseal) throws Broken, NotServed {
    long t = StartupTrace.begin();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new Broken("cannot be read");
    }
    if (bytes.length < StartTree.MAC_BYTES) {
      throw new Broken("is truncated");
    }
    int body = bytes.length - StartTree.MAC_BYTES;
    mac.update(bytes, 0, body); // in place: no copy of the whole tree on the restart path
    if (!MessageDigest.isEqual(mac.doFinal(),
        java.util.Arrays.copyOfRange(bytes, body, bytes.length))) {
      throw new Broken("does not match its integrity check (edited, truncated, or written under"
          + " another key)");
    }
    StartupTrace.end("start tree: file (read, integrity)", t);
    try {
      return new StartTreeReader(new StartTreeBytes(bytes, body), unseal, secretsMac)
          .snapshot(version, checksum);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new Broken("is not in the expected format"); // a writer's bug: not trusted
    }
  }

  private ConfigSnapshot snapshot(long version, String checksum) throws Broken, NotServed {
    if (!string().equals(StartTree.MAGIC) || in.getInt() != StartTree.FORMAT) {
      throw new Broken("is of another format (written by another qcfg version)");
    }
    long v = in.getLong();
    String sum = string();
    if (v != version || !sum.equals(checksum)) {
      throw new NotServed("it keeps version " + v + ", not the fingerprinted " + version);
    }
    String environment = string();
    String environmentSource = string();
    List<String> secretLayer = strings();
    List<String> patterns = strings();
    List<String> secretLeaves = strings();
    int layers = in.getInt();
    Map<String, LayerKind> layerOf = new HashMap<>();
    for (int i = 0; i < layers; i++) {
      layerOf.put(string(), StartTree.kind(string()));
    }
    origins = new StartTreeOrigins(strings().toArray(new String[0]));
    if (in.get() != StartTree.OBJECT) {
      throw new IllegalArgumentException("root");
    }
    long t = StartupTrace.begin();
    Node root = object("", origin(), new ArrayList<>());
    byte[] digest = in.bytes(in.getInt());
    if (in.remaining() != 0) {
      throw new IllegalArgumentException("trailing bytes");
    }
    StartupTrace.end("start tree: leaves", t);
    t = StartupTrace.begin();
    unsealAll();
    StartupTrace.end("start tree: sealed leaves (the secret wait inside)", t);
    if (secretMissing || !MessageDigest.isEqual(digest, secretDigest.doFinal())) {
      throw new NotServed("a secret of the secret layer changed or is gone");
    }
    // The rule is made when first asked (a render, a redaction, the next change), not before the
    // publish: at 10,000 leaves its index of the secret paths took tens of ms there (issue 16).
    // The redactor knows the secret values before the publish all the same (Builds.fromStartTree).
    Predicate<String> rule = new LazySecretRule(() -> SecretPaths.of(
        new java.util.TreeSet<>(secretLayer), java.util.Set.of(), patterns)
        .withSecretLeaves(secretLeaves));
    t = StartupTrace.begin();
    LeafTable table = leaves.build(null);
    StartupTrace.end("start tree: leaf table", t);
    t = StartupTrace.begin();
    ConfigSnapshot s = new ConfigSnapshot(() -> root.build(false).toConfig(),
        new Provenance(version, checksum, environment, environmentSource, Instant.now(),
            "candidate"), Map.copyOf(layerOf),
        rule, java.util.Set.of(), java.util.Set.copyOf(secretLayer),
        () -> root.build(true).toConfig(), table).knownSecretLeaves(secretLeaves);
    StartupTrace.end("start tree: snapshot", t);
    return s;
  }

  /**
   * A non-empty object of the tree: built into Typesafe objects on demand only, from its leaves'
   * own value objects (a leaf's value is the tree's value there).
   */
  private static final class Node {
    final long origin;
    final StartTreeOrigins origins;
    final Map<String, Object> children = new LinkedHashMap<>(); // Node, Leaf or Sealed

    Node(long origin, StartTreeOrigins origins) {
      this.origin = origin;
      this.origins = origins;
    }

    ConfigObject build(boolean sealed) {
      Map<String, Object> out = new LinkedHashMap<>();
      children.forEach((k, c) -> out.put(k, c instanceof Node n ? n.build(sealed)
          : c instanceof Sealed s ? (sealed ? ConfigValueFactory.fromAnyRef(
              ConfigSnapshot.SEALED).withOrigin(origins.get(s.origin)) : s.live.value())
          : ((Leaf) c).value()));
      return ConfigValueFactory.fromMap(out).withOrigin(origins.get(origin));
    }
  }

  private record Sealed(Leaf live, long origin) {}

  /** A sealed leaf met in the walk: where its live value goes once the secret layer is read. */
  private record Pending(Node node, String key, String path, List<String> keys, long origin,
      int slot) {}

  // The live value of every sealed leaf, in the walk's order (the order the writer digested
  // them in); a secret the layer no longer has makes the tree unfit to serve.
  private void unsealAll() {
    for (Pending p : sealed) {
      ConfigValue live = unseal.value(p.keys());
      if (live == null) {
        secretMissing = true;
        return;
      }
      secretDigest.update(StartTree.secretDigestInput(p.path(), live));
      Leaf leaf = new Leaf(live);
      p.node().children.put(p.key(), new Sealed(leaf, p.origin()));
      leaves.set(p.slot(), leaf);
    }
  }

  // keys: those of path, as a stack the walk pushes and pops.
  private Node object(String path, long origin, List<String> keys) throws Broken {
    Node node = new Node(origin, origins);
    int n = in.getInt();
    for (int i = 0; i < n; i++) {
      String key = string();
      String q = ConfigPaths.quote(key);
      String child = path.isEmpty() ? q : path + "." + q;
      byte kind = in.get();
      long o = origin();
      if (kind == StartTree.OBJECT) {
        keys.add(key);
        Node sub = object(child, o, keys);
        keys.remove(keys.size() - 1);
        if (sub.children.isEmpty()) {
          Leaf empty = new StartTreeValue(StartTree.OBJECT, Map.of(), null, o, origins).leaf();
          node.children.put(key, empty);
          leaves.add(child, empty);
        } else {
          node.children.put(key, sub);
        }
      } else if (kind == StartTree.SEALED) {
        // Filled in after the walk (unsealAll): the rest of the tree is read while the secret
        // layer is still being read on its own thread (issue 16).
        node.children.put(key, null); // keeps the key's place in the object
        List<String> at = new ArrayList<>(keys.size() + 1);
        at.addAll(keys);
        at.add(key);
        sealed.add(new Pending(node, key, child, at, o, leaves.add(child, null)));
      } else {
        Leaf leaf = value(kind, o).leaf();
        node.children.put(key, leaf);
        leaves.add(child, leaf);
      }
    }
    return node;
  }

  // A value that is no object node of the tree (a scalar, a list, or an object inside a list).
  private StartTreeValue value(byte kind, long o) throws Broken {
    Object plain = null;
    String text = null;
    switch (kind) {
      case StartTree.NULL -> plain = null;
      case StartTree.TRUE -> plain = Boolean.TRUE;
      case StartTree.FALSE -> plain = Boolean.FALSE;
      case StartTree.INT -> {
        plain = in.getInt();
        text = string();
      }
      case StartTree.LONG -> {
        plain = in.getLong();
        text = string();
      }
      case StartTree.DOUBLE -> {
        plain = in.getDouble();
        text = string();
      }
      case StartTree.STRING -> plain = string();
      case StartTree.LIST -> {
        int n = count();
        List<StartTreeValue> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          byte k = in.get();
          items.add(value(k, origin()));
        }
        plain = List.copyOf(items);
      }
      case StartTree.OBJECT -> {
        int n = count();
        Map<String, StartTreeValue> fields = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          String key = string();
          byte k = in.get();
          fields.put(key, value(k, origin()));
        }
        plain = java.util.Collections.unmodifiableMap(fields);
      }
      default -> throw new IllegalArgumentException("kind " + kind); // SEALED only at a leaf
    }
    return new StartTreeValue(kind, plain, text, o, origins);
  }

  private int count() {
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("count");
    }
    return n;
  }

  /** The value at {@code keys}, walked key by key (no path parse), or null. */
  public static ConfigValue valueAt(ConfigObject root, List<String> keys) {
    ConfigValue v = root;
    for (String k : keys) {
      if (!(v instanceof ConfigObject o)) {
        return null;
      }
      v = o.get(k);
    }
    return v;
  }

  // The origin's key in the table; checked now, made when a value needs it.
  private long origin() {
    int file = in.getInt();
    int line = in.getInt();
    return origins.key(file, line);
  }

  private String string() {
    return in.string();
  }

  private List<String> strings() {
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("count");
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(string());
    }
    return out;
  }
}
