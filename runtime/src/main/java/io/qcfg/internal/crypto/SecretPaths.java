package io.qcfg.internal.crypto;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.tree.ConfigPaths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which configuration paths are secret, so that logs, the CLI, JMX and the audit log redact
 * them. Immutable and safe to share between threads.
 *
 * <h2>The rule (DESIGN.md, Security)</h2>
 *
 * A path is <em>marked</em> secret when
 *
 * <ol>
 *   <li>its value comes from the secret layer ({@code config/secrets/}),
 *   <li>it holds an {@code ENC[...]} value ({@link ConfigDecryptor.Result#encryptedPaths()}),
 *   <li>the JSON schema marks it {@code "x-secret": true} or {@code "writeOnly": true} ({@link
 *       #schemaPatterns}), or
 *   <li>one of its segments <em>names a credential</em> ({@link #namesCredential}).
 * </ol>
 *
 * {@link #isSecret(String)} is true for a marked path, for every path <em>below</em> one (a marked
 * object is secret as a whole), and for every path <em>above</em> a marked path of rules 1 to 3, so
 * that rendering a subtree that contains a secret knows to redact. For rule 4 the paths above are
 * only known once the tree's leaves are: {@link #withLeaves} adds them.
 *
 * <h2>Paths and patterns</h2>
 *
 * Paths are Typesafe path expressions ({@code a."b.c".d}); a list element is one more segment, its
 * index ({@code servers.0.password}). A pattern is a path whose unquoted segment {@code *} matches
 * any one segment ({@code servers.*.password}); a quoted {@code "*"} is a key named {@code *}.
 */
public final class SecretPaths {
  /** In a pattern: matches exactly one segment. */
  public static final String ANY = "*";

  // Words that name a credential wherever they end the last word: "dbPassword", "clientsecret".
  private static final List<String> DISTINCT_NAMES =
      List.of("password", "passwd", "passphrase", "secret", "credential");
  // Short words that are a credential only alone or after a known qualifier ("apikey"), so that
  // "monkey", "keyboard", "turkey" are not.
  private static final Set<String> SHORT_NAMES = Set.of("key", "keys", "token", "tokens");
  private static final List<String> QUALIFIERS =
      List.of(
          "api",
          "access",
          "secret",
          "private",
          "auth",
          "client",
          "session",
          "signing",
          "master",
          "encryption",
          "refresh",
          "bearer",
          "oauth",
          "app",
          "bot");
  private static final int MAX_SCHEMA_DEPTH = 64;

  private static final SecretPaths NAMES_ONLY = new SecretPaths(List.of());

  // Each pattern is a list of segments; null is the wildcard. Rules 1-3 and withLeaves end here.
  private final List<List<String>> marked;

  // Indexes over `marked`, so that isSecret costs a few hash lookups whatever the number of
  // marked paths (withLeaves marks every secret leaf of a 10,000-leaf tree).
  private final Set<List<String>> exact = new java.util.HashSet<>();
  private final Set<List<String>> aboveExact = new java.util.HashSet<>();
  private final List<List<String>> wildcards = new ArrayList<>();
  // The lengths of the paths in `exact`: a prefix of another length cannot be in it, so the
  // "below a marked path" test builds no sub-list for it.
  private final java.util.BitSet exactLengths = new java.util.BitSet();
  // The lengths of the paths in `aboveExact`, likewise.
  private final java.util.BitSet aboveLengths = new java.util.BitSet();
  private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> NAME_CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private SecretPaths(List<List<String>> marked) {
    this.marked = marked;
    for (List<String> p : marked) {
      boolean wild = false;
      for (String seg : p) {
        wild |= seg == null;
      }
      if (wild) {
        wildcards.add(p);
      } else {
        exact.add(p);
        exactLengths.set(p.size());
        // Longest prefix first: the set holds every prefix of what it holds, so once one is
        // there the shorter ones are too (issue 19: one lookup for a leaf beside marked siblings
        // instead of one per depth, each hashing its sub-list).
        for (int i = p.size() - 1; i >= 0; i--) {
          List<String> above = p.subList(0, i); // shared by most marked paths: copied once
          if (aboveExact.contains(above)) {
            break;
          }
          aboveExact.add(List.copyOf(above));
          aboveLengths.set(i);
        }
      }
    }
  }

  /** {@link #namesCredential}, memoised: the same segment names recur in every reload. */
  private static boolean namesCredentialCached(String segment) {
    Boolean b = NAME_CACHE.get(segment);
    if (b == null) {
      b = namesCredential(segment);
      if (NAME_CACHE.size() > 50_000) {
        NAME_CACHE.clear(); // bounded: names come from configuration files
      }
      NAME_CACHE.put(segment, b);
    }
    return b;
  }

  /**
   * The rule for one configuration.
   *
   * @param secretLayerPaths leaf paths whose value came from the secret layer
   * @param encryptedPaths paths that held an {@code ENC[...]} value
   * @param schemaPatterns patterns marked secret in the schema, as {@link #schemaPatterns} returns
   *     them
   */
  public static SecretPaths of(
      Collection<String> secretLayerPaths,
      Collection<String> encryptedPaths,
      Collection<String> schemaPatterns) {
    Set<List<String>> all = new LinkedHashSet<>();
    for (String p : secretLayerPaths) {
      all.add(List.copyOf(ConfigPaths.split(p)));
    }
    for (String p : encryptedPaths) {
      all.add(List.copyOf(ConfigPaths.split(p)));
    }
    for (String p : schemaPatterns) {
      all.add(pattern(p));
    }
    return new SecretPaths(List.copyOf(all));
  }

  /** Only rule 4, the credential names: for when nothing else is known yet. */
  public static SecretPaths namesOnly() {
    return NAMES_ONLY;
  }

  /**
   * This rule plus every secret leaf of {@code allLeafPaths} marked explicitly, so that {@link
   * #isSecret} is also true above leaves that are secret by name ({@code db} above {@code
   * db.password}).
   */
  public SecretPaths withLeaves(Collection<String> allLeafPaths) {
    Set<List<String>> all = new LinkedHashSet<>(marked);
    for (String leaf : allLeafPaths) {
      if (isSecret(leaf)) {
        all.add(List.copyOf(ConfigPaths.split(leaf)));
      }
    }
    return new SecretPaths(List.copyOf(all));
  }

  /**
   * Whether {@code path} must be redacted: it is marked, lies below a marked path, lies above a
   * path marked by rules 1 to 3 (or added by {@link #withLeaves}), or any of its segments names a
   * credential. The root path {@code ""} is secret as soon as anything is marked.
   */
  public boolean isSecret(String path) {
    return isSecret(ConfigPaths.split(path));
  }

  /**
   * {@link #isSecret(String)} for a path already cut into segments (unquoted key texts, list
   * indices as digits): a tree walk keeps one segment list and asks without building strings.
   */
  public boolean isSecret(List<String> segs) {
    for (String seg : segs) {
      if (namesCredentialCached(seg)) {
        return true;
      }
    }
    if (exact.contains(segs) || aboveExact.contains(segs)) {
      return true; // the path is marked, or lies above a marked path
    }
    for (int i = exactLengths.nextSetBit(0); i >= 0 && i < segs.size();
        i = exactLengths.nextSetBit(i + 1)) {
      if (exact.contains(segs.subList(0, i))) {
        return true; // below a marked path
      }
    }
    return matchesWildcard(segs);
  }

  /** A walk over the paths of one tree (see {@link Walk}). */
  public Walk walk() {
    return new Walk();
  }

  /**
   * {@link #isSecret(List)} for the paths of a depth-first walk, one segment at a time: what a
   * path's prefixes decided (a segment that names a credential, a marked path above) is kept per
   * depth, so a path costs one name check and at most two set lookups, instead of one name check
   * per segment and a lookup per marked length (issue 16: the build's index asks it of every
   * leaf). Answers exactly what {@link #isSecret(List)} answers for {@link #path()}. One thread.
   */
  public final class Walk {
    private final ArrayList<String> segs = new ArrayList<>();
    // For the prefix of d + 1 segments: some segment of it names a credential; some prefix of it
    // (itself included) is a marked path.
    private boolean[] namedUpTo = new boolean[16];
    private boolean[] markedUpTo = new boolean[16];
    // The empty path is marked: every other path lies below it.
    private final boolean rootMarked = exactLengths.get(0) && exact.contains(List.of());

    private Walk() {}

    /** One segment down. */
    public void push(String segment) {
      int d = segs.size();
      segs.add(segment);
      if (d == namedUpTo.length) {
        namedUpTo = java.util.Arrays.copyOf(namedUpTo, d * 2);
        markedUpTo = java.util.Arrays.copyOf(markedUpTo, d * 2);
      }
      namedUpTo[d] = (d > 0 && namedUpTo[d - 1]) || namesCredentialCached(segment);
      markedUpTo[d] = (d > 0 ? markedUpTo[d - 1] : rootMarked)
          || (exactLengths.get(d + 1) && exact.contains(segs));
    }

    /** One segment up. */
    public void pop() {
      segs.remove(segs.size() - 1);
    }

    /** The path walked to, as segments (a view). */
    public List<String> path() {
      return Collections.unmodifiableList(segs);
    }

    /** {@link SecretPaths#isSecret(List)} of {@link #path()}. */
    public boolean isSecret() {
      int n = segs.size();
      if (n == 0) {
        return SecretPaths.this.isSecret(segs);
      }
      if (namedUpTo[n - 1] || markedUpTo[n - 1]) {
        return true; // a credential's name on the way, or the path is or lies below a marked one
      }
      if (aboveLengths.get(n) && aboveExact.contains(segs)) {
        return true; // the path lies above a marked path
      }
      return !wildcards.isEmpty() && matchesWildcard(segs);
    }
  }

  private boolean matchesWildcard(List<String> segs) {
    for (List<String> p : wildcards) {
      int n = Math.min(p.size(), segs.size());
      boolean prefixMatches = true;
      for (int i = 0; i < n && prefixMatches; i++) {
        prefixMatches = p.get(i) == null || p.get(i).equals(segs.get(i));
      }
      // Equal prefixes mean the path is the pattern, lies below it, or lies above it.
      if (prefixMatches) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@link #withLeaves} when the secret leaves are already known ({@code secretLeafPaths}, each
   * of which this rule finds secret): no second test of every leaf.
   */
  public SecretPaths withSecretLeaves(Collection<String> secretLeafPaths) {
    if (secretLeafPaths.isEmpty()) {
      return this;
    }
    Set<List<String>> all = null;
    for (String leaf : secretLeafPaths) {
      List<String> segs = ConfigPaths.split(leaf);
      if (!exact.contains(segs)) { // secret by name or pattern, not yet marked as itself
        if (all == null) {
          all = new LinkedHashSet<>(marked);
        }
        all.add(List.copyOf(segs));
      }
    }
    // Every leaf already marked (the secret layer's, the ENC values'): the rule is the same.
    return all == null ? this : new SecretPaths(List.copyOf(all));
  }

  /** The paths of {@code allLeafPaths} that are secret, sorted. */
  public Set<String> secretLeaves(Collection<String> allLeafPaths) {
    Set<String> out = new TreeSet<>();
    for (String p : allLeafPaths) {
      if (isSecret(p)) {
        out.add(p);
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * Whether one path segment names a credential. The segment is cut into words at {@code - _ .},
   * spaces, camel case and digits ({@code apiKey2} is {@code api key 2}); the last word made of
   * letters decides, case-insensitively:
   *
   * <ul>
   *   <li>it ends with {@code password}, {@code passwd}, {@code passphrase}, {@code secret} or
   *       {@code credential}, plural allowed: {@code password}, {@code dbPassword}, {@code
   *       clientsecret}, {@code credentials}; or
   *   <li>it is {@code key}, {@code token} (or plural), alone or run together with a qualifier
   *       ({@code api access secret private auth client session signing master encryption refresh
   *       bearer oauth app bot}): {@code key}, {@code apiKey}, {@code api-key}, {@code api_key},
   *       {@code apikey}, {@code privateKey}, {@code accessToken}, {@code tokens}.
   * </ul>
   *
   * Not credentials: {@code keyboard}, {@code monkey}, {@code keyId}, {@code keys-count}, {@code
   * tokenTtl}, {@code passwordFile}, and {@code publicKey} (a key word right after the word {@code
   * public}).
   */
  public static boolean namesCredential(String segment) {
    List<String> words = words(segment);
    if (words.isEmpty()) {
      return false;
    }
    String last = words.get(words.size() - 1);
    String singular = last.endsWith("s") ? last.substring(0, last.length() - 1) : last;
    for (String name : DISTINCT_NAMES) {
      if (singular.endsWith(name)) {
        return true;
      }
    }
    if (SHORT_NAMES.contains(last)) {
      return !(words.size() > 1 && words.get(words.size() - 2).equals("public"));
    }
    for (String q : QUALIFIERS) {
      if (last.startsWith(q) && SHORT_NAMES.contains(last.substring(q.length()))) {
        return true;
      }
    }
    return false;
  }

  /** Lower-case alphabetic words of {@code segment}; digit runs split words and are dropped. */
  private static List<String> words(String segment) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (!Character.isLetter(c)) {
        flush(cur, out);
        continue;
      }
      if (Character.isUpperCase(c) && cur.length() > 0) {
        char prev = segment.charAt(i - 1);
        boolean nextLower =
            i + 1 < segment.length() && Character.isLowerCase(segment.charAt(i + 1));
        // fooBar -> foo|Bar; APIKey -> API|Key
        if (Character.isLowerCase(prev) || (Character.isUpperCase(prev) && nextLower)) {
          flush(cur, out);
        }
      }
      cur.append(c);
    }
    flush(cur, out);
    return out;
  }

  private static void flush(StringBuilder cur, List<String> out) {
    if (cur.length() > 0) {
      out.add(cur.toString().toLowerCase(Locale.ROOT));
      cur.setLength(0);
    }
  }

  /**
   * The path patterns a JSON schema marks secret with {@code "x-secret": true} or {@code
   * "writeOnly": true}, in the order found. The walk follows {@code properties} (one segment per
   * property), {@code patternProperties}, {@code additionalProperties}, {@code items} and {@code
   * additionalItems} (one {@code *} segment), {@code allOf}/{@code anyOf}/{@code oneOf}/{@code
   * then}/{@code else} (same level) and local {@code $ref}s ({@code #/definitions/...}); a {@code
   * $ref} already being followed is not followed again, and the walk stops 64 levels deep. Example:
   * a password inside an array of server objects yields {@code servers.*.password}.
   *
   * @param schemaJson the text of {@code schema.json}
   * @param location the file name, for the problem if the text is not JSON
   * @throws QcfgException.Invalid (QCFG-4030) if {@code schemaJson} is not JSON
   */
  public static List<String> schemaPatterns(String schemaJson, String location) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(schemaJson);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new QcfgException.Invalid(
          new Problem(
              "QCFG-4030",
              line > 0 ? location + ":" + line : location,
              "",
              "expected a JSON schema, found invalid JSON: " + e.getOriginalMessage()));
    }
    Set<String> out = new LinkedHashSet<>();
    if (root != null) {
      walk(root, root, new ArrayDeque<>(), new ArrayDeque<>(), out);
    }
    return List.copyOf(out);
  }

  private static void walk(
      JsonNode root, JsonNode node, Deque<String> segs, Deque<String> refs, Set<String> out) {
    if (!node.isObject() || segs.size() + refs.size() > MAX_SCHEMA_DEPTH) {
      return;
    }
    if (node.path("x-secret").asBoolean(false) || node.path("writeOnly").asBoolean(false)) {
      out.add(render(segs));
    }
    JsonNode ref = node.get("$ref");
    if (ref != null
        && ref.isTextual()
        && ref.asText().startsWith("#")
        && !refs.contains(ref.asText())) {
      JsonNode target = pointer(root, ref.asText().substring(1));
      if (target != null) {
        refs.push(ref.asText());
        walk(root, target, segs, refs, out);
        refs.pop();
      }
    }
    for (var e : node.path("properties").properties()) {
      walkChild(root, e.getValue(), e.getKey(), segs, refs, out);
    }
    node.path("patternProperties")
        .elements()
        .forEachRemaining(c -> walkChild(root, c, null, segs, refs, out));
    walkChild(root, node.path("additionalProperties"), null, segs, refs, out);
    JsonNode items = node.path("items");
    if (items.isArray()) {
      items.elements().forEachRemaining(c -> walkChild(root, c, null, segs, refs, out));
    } else {
      walkChild(root, items, null, segs, refs, out);
    }
    walkChild(root, node.path("additionalItems"), null, segs, refs, out);
    for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
      node.path(combinator).elements().forEachRemaining(c -> walk(root, c, segs, refs, out));
    }
    walk(root, node.path("then"), segs, refs, out);
    walk(root, node.path("else"), segs, refs, out);
  }

  /** Walks {@code child} one segment deeper; {@code name} null means the wildcard. */
  private static void walkChild(
      JsonNode root,
      JsonNode child,
      String name,
      Deque<String> segs,
      Deque<String> refs,
      Set<String> out) {
    if (!child.isObject()) {
      return;
    }
    // ArrayDeque refuses null: the wildcard travels as ANY and is rendered bare.
    segs.addLast(name == null ? ANY : "\u0000" + name);
    walk(root, child, segs, refs, out);
    segs.removeLast();
  }

  /** A JSON pointer ({@code /definitions/a~1b}) resolved in {@code root}, or null. */
  private static JsonNode pointer(JsonNode root, String pointer) {
    try {
      JsonNode n = root.at(pointer);
      return n.isMissingNode() ? null : n;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Schema walk segments to pattern text: names are marked with a leading NUL, see walkChild. */
  static String render(Collection<String> segs) {
    StringBuilder sb = new StringBuilder();
    for (String s : segs) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(s.equals(ANY) ? ANY : ConfigPaths.child("", s.substring(1)));
    }
    return sb.toString();
  }

  /** Pattern text to segments, the wildcard as null. */
  private static List<String> pattern(String text) {
    List<String> segs = new ArrayList<>();
    for (ConfigPaths.Segment s : ConfigPaths.segments(text)) {
      segs.add(!s.quoted() && s.text().equals(ANY) ? null : s.text());
    }
    return Collections.unmodifiableList(segs);
  }

  @Override
  public String toString() {
    List<String> shown = new ArrayList<>();
    for (List<String> p : marked) {
      shown.add(String.join(".", p.stream().map(s -> s == null ? ANY : s).toList()));
    }
    return "SecretPaths" + shown + " + credential names";
  }
}
