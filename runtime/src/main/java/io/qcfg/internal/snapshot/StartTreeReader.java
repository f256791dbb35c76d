package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.internal.crypto.Hmac;
import io.qcfg.internal.crypto.SecretPaths;
import io.qcfg.internal.log.StartupTrace;
import io.qcfg.internal.tree.LayerKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  /**
   * The file is intact but of an older qcfg's format: not read, said once (the full build after
   * the fast start writes the current format).
   */
  public static final class OlderFormat extends Exception {
    private static final long serialVersionUID = 1L;

    OlderFormat(int format) {
      super("format " + format, null, false, false);
    }
  }

  private final StartTreeBytes in;
  private final LeafTable.Builder leaves;
  private StartTreeOrigins origins;
  private final List<Pending> sealed = new ArrayList<>(); // unsealed after the walk
  private final List<String> secretLeaves = new ArrayList<>();
  // The secret leaves but the sealed scalars ({@link #otherSecretLeaves}), in no set order.
  private final List<String> otherSecretLeaves = new ArrayList<>();
  private final List<String> secretLayer = new ArrayList<>();
  // The walk's path as the file spells it (quoted keys, dots), and where each key of it lies in
  // the file: a leaf's path is one String made from these bytes, and no key is made but those
  // of sealed leaves (the secret layer's lookup needs them).
  private byte[] path = new byte[256];
  private int[] keyAt = new int[16];
  private int[] keyLength = new int[16];
  private String[] keyText = new String[16]; // made for a sealed leaf, shared by its siblings
  // The header, and where the tree's root begins (for the tree's walk on demand).
  private long version;
  private String checksum;
  private String environment;
  private String environmentSource;
  private List<String> patterns;
  private Map<String, LayerKind> layerOf;
  private long rootOrigin;
  private int root;
  private byte[] secretsDigest;

  private StartTreeReader(StartTreeBytes in) {
    this.in = in;
    // Sized from the file (its writer's leaves take about 20 bytes each) rather than grown by
    // doubling from 256: at 10,000 leaves six copies of two arrays, cold (issue 16). A wrong
    // guess only grows the table.
    this.leaves = new LeafTable.Builder(Math.min(1 << 20, Math.max(256, in.remaining() / 20)));
  }

  /**
   * The snapshot kept in {@code file} as a candidate (created now, cause "candidate"), or null when
   * there is no file: {@link #decode}, then {@link #serve}.
   *
   * @param version the version the fingerprint of the inputs names
   * @param checksum its checksum
   * @throws Broken when the file is not intact
   * @throws OlderFormat when it is intact but an older qcfg's
   * @throws NotServed when it is intact but not of that version, or its secrets changed
   */
  public static ConfigSnapshot read(Path file, Hmac mac, Hmac secretsMac, long version,
      String checksum, Unsealer unseal) throws Broken, OlderFormat, NotServed {
    StartTreeReader decoded = decode(file, mac, version, checksum);
    return decoded == null ? null : decoded.serve(secretsMac, unseal);
  }

  /**
   * The file read, verified and walked: every leaf but the sealed ones, which {@link #serve}
   * takes from the secret layer; null when there is no file. Nothing is decoded before the file's
   * MAC holds. Any thread may decode; {@link #serve} must then be called after a happens-before
   * edge (a future's completion).
   *
   * @throws Broken when the file is not intact
   * @throws OlderFormat when it is intact but an older qcfg's
   * @throws NotServed when it is intact but not of that version
   */
  public static StartTreeReader decode(Path file, Hmac mac, long version, String checksum)
      throws Broken, OlderFormat, NotServed {
    long t = StartupTrace.begin();
    byte[] bytes;
    try {
      bytes = io.qcfg.internal.text.FileBytes.read(file); // no FileChannel before the publish
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
    StartTreeReader r = new StartTreeReader(new StartTreeBytes(bytes, body));
    try {
      r.walk(version, checksum);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new Broken("is not in the expected format"); // a writer's bug: not trusted
    }
    return r;
  }

  private void walk(long expectedVersion, String expectedChecksum)
      throws Broken, OlderFormat, NotServed {
    long t = StartupTrace.begin();
    if (!in.fixedString().equals(StartTree.MAGIC)) {
      throw new Broken("is of another format (written by another qcfg version)");
    }
    int format = in.getInt();
    if (format >= 1 && format < StartTree.FORMAT) {
      throw new OlderFormat(format);
    } else if (format != StartTree.FORMAT) {
      throw new Broken("is of another format (written by another qcfg version)");
    }
    version = in.getLong();
    checksum = in.string();
    if (version != expectedVersion || !checksum.equals(expectedChecksum)) {
      throw new NotServed("it keeps version " + version + ", not the fingerprinted "
          + expectedVersion);
    }
    environment = in.string();
    environmentSource = in.string();
    patterns = strings();
    int layers = in.count();
    layerOf = new HashMap<>();
    for (int i = 0; i < layers; i++) {
      layerOf.put(in.string(), StartTree.kind(in.string()));
    }
    origins = StartTreeOrigins.read(in);
    secretLayer.addAll(strings()); // the secret layer's paths that are no leaf of the tree
    if (in.get() != StartTree.OBJECT) {
      throw new IllegalArgumentException("root");
    }
    rootOrigin = origin(in, origins);
    root = in.at();
    StartupTrace.end("start tree: header", t);
    t = StartupTrace.begin();
    object(0, 0);
    secretsDigest = in.bytes(in.count());
    if (in.remaining() != 0) {
      throw new IllegalArgumentException("trailing bytes");
    }
    StartupTrace.end("start tree: leaves", t);
  }

  /** The environment the tree was built for. */
  public String environment() {
    return environment;
  }

  /**
   * After {@link #serve}: the secret leaves but those whose value is a scalar of the secret layer
   * (a sealed leaf unsealed to a string, number or boolean): the texts the redactor learns of a
   * secret leaf ({@code Leaf.addTexts}) are, for those, the texts a walk of the secret layer's
   * scalars gives, which a fast restart's read-ahead tells it already (issue 16: 2,000 lookups
   * and texts on the applier, at 10,000 leaves). A list's texts are its items' own, which such
   * a walk may not give alike (a list in a list), so lists stay here, as null leaves do.
   */
  public List<String> otherSecretLeaves() {
    return otherSecretLeaves;
  }

  /**
   * The snapshot, once the sealed leaves are taken from the secret layer ({@code unseal}) and
   * their values match the ones the tree was written with (keyed by {@code secretsMac}). Once.
   *
   * @throws NotServed when a secret of the secret layer changed or is gone
   */
  public ConfigSnapshot serve(Hmac secretsMac, Unsealer unseal) throws NotServed {
    // What needs no secret value first: the first sealed leaf waits for the secret layer's read
    // on its own thread, and this work (the paths' hash index, the path sets) is done meanwhile
    // rather than after it (issue 16: at 10,000 leaves the applier waited for the read, then
    // spent 30-50 ms here).
    long t = StartupTrace.begin();
    PathIndex index = leaves.index();
    List<String> leafPaths = List.copyOf(secretLeaves);
    java.util.Set<String> layerSet = java.util.Set.copyOf(secretLayer);
    StartupTrace.end("start tree: leaf table (its paths' index)", t);
    t = StartupTrace.begin();
    boolean complete = unsealAll(secretsMac, unseal);
    StartupTrace.end("start tree: sealed leaves (the secret wait inside)", t);
    if (!complete || !MessageDigest.isEqual(secretsDigest, secretsMac.doFinal())) {
      throw new NotServed("a secret of the secret layer changed or is gone");
    }
    // The rule is made when first asked (a render, a redaction, the next change), not before the
    // publish: at 10,000 leaves its index of the secret paths took tens of ms there (issue 16).
    // The redactor knows the secret values before the publish all the same (Builds.fromStartTree).
    List<String> layerPaths = secretLayer;
    List<String> secretPatterns = patterns;
    Predicate<String> rule = new LazySecretRule(() -> SecretPaths.of(
        new java.util.TreeSet<>(layerPaths), java.util.Set.of(), secretPatterns)
        .withSecretLeaves(leafPaths));
    t = StartupTrace.begin();
    LeafTable table = leaves.buildOn(index);
    StartupTrace.end("start tree: leaf table", t);
    t = StartupTrace.begin();
    // The Typesafe tree is made when first asked, by a second walk over the verified bytes; the
    // lambdas hold what the walk needs, not this reader.
    Leaf[] inWalkOrder = leaves.inWalkOrder();
    StartTreeOrigins o = origins;
    StartTreeBytes bytes = in;
    int from = root;
    long at = rootOrigin;
    ConfigSnapshot s = new ConfigSnapshot(
        () -> new StartTreeWalk(bytes.from(from), o, inWalkOrder, false).root(at),
        new Provenance(version, checksum, environment, environmentSource, Instant.now(),
            "candidate"), Map.copyOf(layerOf),
        rule, java.util.Set.of(), layerSet,
        () -> new StartTreeWalk(bytes.from(from), o, inWalkOrder, true).root(at),
        table).knownSecretLeaves(leafPaths);
    StartupTrace.end("start tree: snapshot", t);
    return s;
  }

  /**
   * A sealed leaf met in the walk: its keys for the secret layer, its place in the table, its
   * path.
   */
  private record Pending(List<String> keys, int slot, String path) {}

  // The live value of every sealed leaf, in the walk's order (the order the writer digested
  // them in); false when the layer no longer has one (the tree is then unfit to serve).
  private boolean unsealAll(Hmac secretsMac, Unsealer unseal) {
    for (Pending p : sealed) {
      ConfigValue live = unseal.value(p.keys());
      if (live == null) {
        return false;
      }
      secretsMac.update(StartTree.secretDigestInput(live));
      leaves.set(p.slot(), new Leaf(live));
      ConfigValueType t = live.valueType();
      if (t != ConfigValueType.STRING && t != ConfigValueType.NUMBER
          && t != ConfigValueType.BOOLEAN) {
        otherSecretLeaves.add(p.path());
      }
    }
    return true;
  }

  // The entries of an object whose path is path[0, length) and whose keys are 0..depth-1; gives
  // how many it has. One String a leaf: its path.
  private int object(int length, int depth) {
    byte[] b = in.array();
    int n = in.count();
    for (int i = 0; i < n; i++) {
      int head = in.varint();
      int quoted = head >>> 1;
      int at = in.skip(quoted);
      int to = append(length, at, quoted);
      if ((head & 1) == 0) {
        push(depth, at, quoted);
      } else {
        int raw = in.count();
        push(depth, in.skip(raw), raw);
      }
      int kindAndFlags = in.get();
      int kind = kindAndFlags & StartTree.KIND;
      long o = origin(in, origins);
      if (kind == StartTree.OBJECT) {
        if (object(to, depth + 1) == 0) {
          add(new String(path, 0, to, StandardCharsets.UTF_8),
              new StartTreeValue(StartTree.OBJECT, Map.of(), null, o, origins).leaf(),
              kindAndFlags);
        }
      } else if (kind == StartTree.SEALED) {
        // Filled in after the walk (unsealAll): the rest of the tree is read while the secret
        // layer is still being read on its own thread (issue 16).
        String p = new String(path, 0, to, StandardCharsets.UTF_8);
        List<String> keys = new ArrayList<>(depth + 1);
        for (int d = 0; d <= depth; d++) {
          if (keyText[d] == null) {
            keyText[d] = new String(b, keyAt[d], keyLength[d], StandardCharsets.UTF_8);
          }
          keys.add(keyText[d]);
        }
        sealed.add(new Pending(keys, add(p, null, kindAndFlags), p));
      } else if (kind == StartTree.LIST) {
        // Checked now, made when asked for: a fast restart's readers touch few lists, and at
        // 10,000 leaves the 2,000 lists' items were 5,000 values, strings and boxes made on the
        // critical path (issue 16). The check reads exactly what make() reads, so a list that
        // passes it is made without a failure later.
        int items = in.at();
        skip(in, origins, kindAndFlags);
        add(new String(path, 0, to, StandardCharsets.UTF_8),
            Leaf.lazy(null, false, new LazyList(in, items, o, origins)), kindAndFlags);
      } else {
        add(new String(path, 0, to, StandardCharsets.UTF_8),
            value(in, origins, kindAndFlags, o).leaf(), kindAndFlags);
      }
    }
    return n;
  }

  /**
   * A list leaf made from the verified bytes when first asked for: its items (a count, then each
   * with its kind and origin) begin at {@code at}. Pure: any thread may make it, each time an
   * equal value.
   */
  record LazyList(StartTreeBytes bytes, int at, long origin, StartTreeOrigins origins)
      implements Leaf.Source {
    @Override
    public ConfigValue make() {
      return value(bytes.from(at), origins, StartTree.LIST, origin).make();
    }
  }

  // Reads past a value as value() reads it, checking what value() checks (bounds, counts, kinds,
  // origins) but making nothing: a list's items (issue 16).
  static void skip(StartTreeBytes in, StartTreeOrigins origins, int kindAndFlags) {
    byte kind = (byte) (kindAndFlags & StartTree.KIND);
    switch (kind) {
      case StartTree.NULL, StartTree.TRUE, StartTree.FALSE -> { }
      case StartTree.INT, StartTree.LONG -> in.signed();
      case StartTree.DOUBLE -> in.skip(8);
      case StartTree.STRING -> in.skip(in.count());
      case StartTree.LIST -> skipList(in, origins);
      case StartTree.OBJECT -> {
        int n = in.count();
        for (int i = 0; i < n; i++) {
          in.skip(in.count()); // the key
          int k = in.get();
          origin(in, origins);
          skip(in, origins, k);
        }
      }
      default -> throw new IllegalArgumentException("kind " + kind); // SEALED only at a leaf
    }
    if ((kindAndFlags & StartTree.TEXT) != 0) {
      in.skip(in.count());
    }
  }

  private static void skipList(StartTreeBytes in, StartTreeOrigins origins) {
    int n = in.count();
    for (int i = 0; i < n; i++) {
      int k = in.get();
      origin(in, origins);
      skip(in, origins, k);
    }
  }

  private int add(String p, Leaf leaf, int flags) {
    if ((flags & StartTree.SECRET_LEAF) != 0) {
      secretLeaves.add(p);
      if ((flags & StartTree.KIND) != StartTree.SEALED) {
        otherSecretLeaves.add(p); // a null or an empty object: not sealed
      }
    }
    if ((flags & StartTree.SECRET_LAYER) != 0) {
      secretLayer.add(p);
    }
    return leaves.add(p, leaf);
  }

  // The path of the entry whose key lies at b[at, at + n): its parent's, a dot, the key.
  private int append(int length, int at, int n) {
    int to = length == 0 ? n : length + 1 + n;
    if (to > path.length) {
      path = java.util.Arrays.copyOf(path, Math.max(to, path.length * 2));
    }
    if (length != 0) {
      path[length] = '.';
    }
    System.arraycopy(in.array(), at, path, to - n, n);
    return to;
  }

  private void push(int depth, int at, int n) {
    if (depth == keyAt.length) {
      keyAt = java.util.Arrays.copyOf(keyAt, depth * 2);
      keyLength = java.util.Arrays.copyOf(keyLength, depth * 2);
      keyText = java.util.Arrays.copyOf(keyText, depth * 2);
    }
    keyAt[depth] = at;
    keyLength[depth] = n;
    keyText[depth] = null;
  }

  // A value that is no object node of the tree (a scalar, a list, or an object inside a list).
  static StartTreeValue value(StartTreeBytes in, StartTreeOrigins origins, int kindAndFlags,
      long o) {
    byte kind = (byte) (kindAndFlags & StartTree.KIND);
    Object plain = null;
    String text = null;
    switch (kind) {
      case StartTree.NULL -> plain = null;
      case StartTree.TRUE -> plain = Boolean.TRUE;
      case StartTree.FALSE -> plain = Boolean.FALSE;
      case StartTree.INT -> plain = (int) in.signed();
      case StartTree.LONG -> plain = in.signed();
      case StartTree.DOUBLE -> plain = Double.longBitsToDouble(in.getLong());
      case StartTree.STRING -> plain = in.string();
      case StartTree.LIST -> {
        int n = in.count();
        List<StartTreeValue> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          int k = in.get();
          items.add(value(in, origins, k, origin(in, origins)));
        }
        plain = List.copyOf(items);
      }
      case StartTree.OBJECT -> {
        int n = in.count();
        Map<String, StartTreeValue> fields = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          String key = in.string();
          int k = in.get();
          fields.put(key, value(in, origins, k, origin(in, origins)));
        }
        plain = java.util.Collections.unmodifiableMap(fields);
      }
      default -> throw new IllegalArgumentException("kind " + kind); // SEALED only at a leaf
    }
    if ((kindAndFlags & StartTree.TEXT) != 0) {
      text = in.string(); // a number's text as written, where it is not the number's own
    }
    return new StartTreeValue(kind, plain, text, o, origins);
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
  static long origin(StartTreeBytes in, StartTreeOrigins origins) {
    int file = in.varint();
    int line = in.varint() - 1;
    return origins.key(file, line);
  }

  private List<String> strings() {
    int n = in.count();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.string());
    }
    return out;
  }
}
