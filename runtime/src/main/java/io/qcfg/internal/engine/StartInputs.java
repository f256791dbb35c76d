package io.qcfg.internal.engine;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.crypto.Hmac;
import io.qcfg.internal.history.FileIdentity;
import io.qcfg.internal.history.StartInputsFile;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.log.StartupTrace;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keyed digests of every input that decides a snapshot built from the files (issue 16, the fast
 * start): each file under the configuration directory by its relative path (layers, files reached
 * by {@code include}, {@code secrets/}, {@code schema.json}, {@code rules.conf}, migrations,
 * templates), the key ring, the options that shape a build, every class-path {@code
 * reference.conf} (its bytes; inside a jar, the jar's size and time), the environment and its
 * source, the system properties below the tree's root keys, the {@code CONFIG_FORCE_*} variables,
 * the values of the environment variables the substitutions may read, the runtime overrides and
 * qcfg's own build. Digests are HMACs under a
 * key of the state directory: a low-entropy value (a port, a password) cannot be guessed from
 * them.
 *
 * <p>What no digest covers: the application's classes (a {@code ConfigRule} that changed); the
 * full build that runs after every fast start catches those.
 */
final class StartInputs {
  /** The most files a configuration directory may hold for the fast start to be tried. */
  static final int MAX_FILES = 5_000;

  private static final byte[] ABSENT = {0, 'a', 'b', 's', 'e', 'n', 't', 0};

  private final QcfgOptions options;
  private final ClassLoader appLoader;
  private final Supplier<Hmac> mac;
  private final LongSupplier clock; // wall clock, ms: when the files are read (the racy rule)

  StartInputs(QcfgOptions options, ClassLoader appLoader, Supplier<Hmac> mac) {
    this(options, appLoader, mac, System::currentTimeMillis);
  }

  StartInputs(QcfgOptions options, ClassLoader appLoader, Supplier<Hmac> mac,
      LongSupplier clock) {
    this.options = options;
    this.appLoader = appLoader;
    this.mac = mac;
    this.clock = clock;
  }

  /** Too many files in the configuration directory (the fast start is not tried). */
  static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The digest of each file under the configuration directory, by path relative to it, state
   * directory excluded. Taken before a build reads them: an edit during the build then makes the
   * next start's digests differ (safe), never match a tree that did not see it. A file whose
   * settled identity is the one {@code kept} (null: none) recorded beside its digest counts as
   * unchanged without being read (git's index does the same): it has not been written since that
   * identity was taken, before the digested bytes were read. Any other file is read and digested.
   */
  FileDigests files(StartInputsFile kept) throws IOException, TooLarge {
    return digest(read(kept, 0));
  }

  /**
   * The files under the configuration directory as {@link #files} finds them, read but not yet
   * digested, so that no key is needed: a first start reads them before its build reads them (what
   * the fingerprint must describe are those bytes), and digests them later, off the build's path
   * (issue 16). At most {@code keepBytes} bytes are kept undigested; the files read beyond that are
   * digested at once (the key is then made on this thread), so memory stays bounded whatever the
   * directory holds. {@link #digest} gives what {@link #files} would have.
   */
  Reads read(StartInputsFile kept, long keepBytes) throws IOException, TooLarge {
    Path given = options.dir().toAbsolutePath().normalize();
    Path state = options.state().toAbsolutePath().normalize();
    SortedMap<String, String> digests = new TreeMap<>();
    SortedMap<String, byte[]> undigested = new TreeMap<>();
    SortedMap<String, String> identities = new TreeMap<>();
    int[] read = {0};
    long[] held = {0}; // bytes in undigested
    if (!Files.isDirectory(given)) {
      return new Reads(digests, undigested, identities, 0);
    }
    // A configuration directory that is itself a symbolic link (a release switched by a link) is
    // walked where it leads: walkFileTree follows no link, not even its start, and digested the
    // link alone, so that no edit of a file inside changed the fingerprint. The state directory
    // inside it is skipped under either name.
    Path dir = Files.isSymbolicLink(given) ? given.toRealPath() : given;
    Path stateInside = state.startsWith(given) ? dir.resolve(given.relativize(state)) : state;
    long readAt = clock.getAsLong(); // before any identity is taken: the racy rule
    IOException[] failed = {null};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
        return d.equals(state) || d.equals(stateInside) ? FileVisitResult.SKIP_SUBTREE
            : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
        if (digests.size() + undigested.size() >= MAX_FILES) {
          return FileVisitResult.TERMINATE;
        }
        String name = "file " + dir.relativize(f).toString().replace('\\', '/');
        try {
          if (a.isSymbolicLink() && Files.isDirectory(f)) { // a Kubernetes ..data link
            keep(name, ("link " + Files.readSymbolicLink(f)).getBytes(StandardCharsets.UTF_8));
            return FileVisitResult.CONTINUE;
          }
          String identity = FileIdentity.settled(f, readAt); // before the bytes are read
          String digest = identity != null && kept != null
              && identity.equals(kept.identities().get(name)) ? kept.digests().get(name) : null;
          if (digest == null) { // a file link is read through: its content counts
            keep(name, Files.readAllBytes(f));
            read[0]++;
          } else {
            digests.put(name, digest);
          }
          if (identity != null) {
            identities.put(name, identity);
          }
        } catch (IOException e) {
          failed[0] = e;
          return FileVisitResult.TERMINATE;
        }
        return FileVisitResult.CONTINUE;
      }

      private void keep(String name, byte[] bytes) {
        if (held[0] + bytes.length <= keepBytes) {
          undigested.put(name, bytes);
          held[0] += bytes.length;
        } else {
          digests.put(name, hex(mac.get().doFinal(bytes)));
        }
      }
    });
    if (failed[0] != null) {
      throw failed[0];
    }
    if (digests.size() + undigested.size() >= MAX_FILES) {
      throw new TooLarge("the configuration directory holds " + MAX_FILES + " files or more");
    }
    return new Reads(digests, undigested, identities, read[0]);
  }

  /**
   * The files as {@link #read} left them: the digests it took (the kept ones of unchanged files,
   * those over its budget), the bytes it kept, and the identities taken before those bytes were
   * read. Hands its bytes to {@link #digest} once.
   */
  static final class Reads {
    private final SortedMap<String, String> digests;
    private SortedMap<String, byte[]> undigested;
    private final SortedMap<String, String> identities;
    private final int read;

    Reads(SortedMap<String, String> digests, SortedMap<String, byte[]> undigested,
        SortedMap<String, String> identities, int read) {
      this.digests = digests;
      this.undigested = undigested;
      this.identities = identities;
      this.read = read;
    }

    /** How many files' bytes were read. */
    int read() {
      return read;
    }
  }

  /** The digests of what {@code reads} found: as {@link #files} would have taken them. */
  FileDigests digest(Reads reads) {
    SortedMap<String, String> out = new TreeMap<>(reads.digests);
    SortedMap<String, byte[]> bytes = reads.undigested;
    reads.undigested = new TreeMap<>(); // the bytes go with the first digest
    if (!bytes.isEmpty()) {
      Hmac m = mac.get();
      bytes.forEach((name, b) -> out.put(name, hex(m.doFinal(b))));
    }
    return new FileDigests(out, reads.identities, reads.read);
  }

  /**
   * The digest of every other input, for a build in {@code env} with {@code overrides}; {@code
   * roots} and {@code variables} as recorded with the snapshot ({@link
   * io.qcfg.internal.history.StartInputsFile}).
   */
  SortedMap<String, String> others(Environment env, Map<String, String> overrides,
      Collection<String> roots, Collection<String> variables) throws IOException {
    SortedMap<String, String> out = new TreeMap<>();
    long t = StartupTrace.begin();
    out.put("environment", digest(env.name() + '\0' + env.source()));
    out.put("options", digest(buildOptions()));
    out.put("key ring", keyRing());
    StartupTrace.end("inputs: environment, options, key ring", t);
    t = StartupTrace.begin();
    out.put("class-path reference.conf", referenceConfs());
    StartupTrace.end("inputs: class-path reference.conf", t);
    t = StartupTrace.begin();
    out.put("system properties", systemProperties(System.getProperties(), roots));
    Map<String, String> envVars = System.getenv();
    Hmac force = mac.get();
    TreeMap<String, String> forced = new TreeMap<>(); // only these sorted: cold, every one costs
    for (Map.Entry<String, String> e : envVars.entrySet()) {
      if (e.getKey().startsWith("CONFIG_FORCE_")) {
        forced.put(e.getKey(), e.getValue());
      }
    }
    forced.forEach((k, v) -> force.update((k + '\0' + v + '\0').getBytes(StandardCharsets.UTF_8)));
    out.put("CONFIG_FORCE_* variables", hex(force.doFinal()));
    StartupTrace.end("inputs: system properties, CONFIG_FORCE_*", t);
    t = StartupTrace.begin();
    out.put("substituted environment variables", variables(env, envVars, variables));
    StartupTrace.end("inputs: substituted environment variables", t);
    Hmac o = mac.get();
    new TreeMap<>(overrides).forEach((k, v) ->
        o.update((k + '\0' + v + '\0').getBytes(StandardCharsets.UTF_8)));
    out.put("runtime overrides", hex(o.doFinal()));
    t = StartupTrace.begin();
    out.put("qcfg version", digest(qcfgBuild()));
    StartupTrace.end("inputs: qcfg's own build", t);
    return out;
  }

  /** The names the build's substitution {@code references} may have read from the environment. */
  static List<String> variableNames(Collection<String> references, boolean templates) {
    if (templates) {
      return List.of("*"); // a template layer sees every allowed variable
    }
    TreeSet<String> names = new TreeSet<>();
    for (String r : references) {
      try {
        names.add(String.join(".", ConfigUtil.splitPath(r.trim())));
      } catch (ConfigException e) {
        names.add(r.trim());
      }
    }
    return List.copyOf(names);
  }

  private String variables(Environment env, Map<String, String> envVars,
      Collection<String> names) {
    Hmac m = mac.get();
    if (names.isEmpty()) { // no substitution reads one: the environment is not even copied
      return hex(m.doFinal());
    }
    Map<String, String> allowed = LayerStack.allowedVariables(new LayerStack.Request(
        options.dir(), env, Map.of(), new Properties(), envVars, options.substitute(), null));
    Collection<String> which = names.contains("*") ? new TreeSet<>(allowed.keySet()) : names;
    for (String name : which) {
      m.update((name + '\0').getBytes(StandardCharsets.UTF_8));
      String v = allowed.get(name);
      m.update(v == null ? ABSENT : (v + '\0').getBytes(StandardCharsets.UTF_8));
    }
    return hex(m.doFinal());
  }

  private String systemProperties(Properties props, Collection<String> roots) {
    TreeSet<String> names = new TreeSet<>(); // only the names that count sorted (cold: issue 16)
    for (String name : props.stringPropertyNames()) {
      int dot = name.indexOf('.');
      String root = dot < 0 ? name : name.substring(0, dot);
      if (roots.contains(root) && !name.startsWith("qcfg.")) {
        names.add(name);
      }
    }
    Hmac m = mac.get();
    for (String name : names) {
      m.update((name + '\0' + props.getProperty(name) + '\0').getBytes(StandardCharsets.UTF_8));
    }
    return hex(m.doFinal());
  }

  // Every option that changes what a build of the same files gives.
  private String buildOptions() throws IOException {
    StringBuilder b = new StringBuilder()
        .append(options.dir().toAbsolutePath().normalize()).append('\0')
        .append(options.substitute()).append('\0').append(options.format()).append('\0')
        .append(options.maxFileSize()).append('\0').append(limits(options.resolveLimits()))
        .append('\0')
        .append(options.verify()).append('\0').append(options.key()).append('\0')
        .append(options.publicKey()).append('\0');
    if (options.publicKey() != null && Files.isRegularFile(options.publicKey())) {
      b.append(hex(mac.get().doFinal(Files.readAllBytes(options.publicKey()))));
    }
    return b.toString();
  }

  // Not the record's toString: its first call bootstraps ObjectMethods (tens of ms, issue 16).
  private static String limits(QcfgOptions.ResolveLimits l) {
    return l.maxDepth() + "/" + l.maxAppends() + "/" + l.maxValueLength() + "/" + l.maxLeaves();
  }

  private String keyRing() throws IOException {
    Hmac m = mac.get();
    Path key = options.key();
    if (key != null && Files.isRegularFile(key)) {
      m.update(Files.readAllBytes(key));
    }
    String raw = System.getenv("QCFG_KEY"); // may hold the key ring itself
    m.update(raw == null ? ABSENT : raw.getBytes(StandardCharsets.UTF_8));
    return hex(m.doFinal());
  }

  /**
   * The class path's {@code reference.conf} files. On the JDK's own system class loader, from the
   * class path itself, without opening a jar: a jar counts by its size and time (a new version of a
   * library is another jar, whether or not its reference.conf changed), a directory by the bytes
   * of its {@code reference.conf}. Asking the loader for its resources runs the JDK's resource
   * lookup cold (interpreted this early) and opens every jar on the class path, qcfg.jar among
   * them, before the publish: 64 ms on the applier of a 1k restart. Not covered: jars named by
   * another jar's {@code Class-Path} manifest attribute and by {@code -Xbootclasspath/a}; a change
   * there is found by the full build after the fast start and applied as a change. Any other
   * loader is asked for its resources.
   */
  private String referenceConfs() throws IOException {
    if (appLoader == ClassLoader.getSystemClassLoader()
        && appLoader.getClass().getName().equals("jdk.internal.loader.ClassLoaders$AppClassLoader")) {
      return classPath(System.getProperty("java.class.path", ""));
    }
    Hmac m = mac.get();
    if (appLoader != null) {
      Enumeration<URL> urls = appLoader.getResources("reference.conf");
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        m.update((url + "\0").getBytes(StandardCharsets.UTF_8));
        Path jar = jarFile(url);
        if (jar != null) { // a library's jar: another version is another size or time (cheap)
          m.update((Files.size(jar) + "\0" + Files.getLastModifiedTime(jar).toMillis() + "\0")
              .getBytes(StandardCharsets.UTF_8));
          continue;
        }
        URLConnection c = url.openConnection();
        c.setUseCaches(false);
        try (InputStream in = c.getInputStream()) {
          m.update(in.readAllBytes());
        }
      }
    }
    return hex(m.doFinal());
  }

  /** See {@link #referenceConfs}: {@code classPath} is {@code java.class.path}. */
  String classPath(String classPath) throws IOException {
    Hmac m = mac.get();
    for (String entry : classPath.split(java.io.File.pathSeparator, -1)) {
      Path p = Path.of(entry.isEmpty() ? "." : entry);
      m.update((entry + "\0").getBytes(StandardCharsets.UTF_8));
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(p, BasicFileAttributes.class);
      } catch (IOException e) {
        m.update(ABSENT);
        continue;
      }
      if (a.isDirectory()) {
        Path reference = p.resolve("reference.conf");
        m.update(Files.isRegularFile(reference) ? Files.readAllBytes(reference) : ABSENT);
      } else {
        m.update((a.size() + "\0" + a.lastModifiedTime().toMillis() + "\0")
            .getBytes(StandardCharsets.UTF_8));
      }
      m.update(new byte[] {0});
    }
    return hex(m.doFinal());
  }

  /** The local jar file of a {@code jar:file:...!/reference.conf} URL, else null. */
  private static Path jarFile(URL url) {
    String spec = url.toString();
    int bang = spec.indexOf("!/");
    if (!spec.startsWith("jar:file:") || bang < 0) {
      return null;
    }
    try {
      Path p = Path.of(new java.net.URI(spec.substring(4, bang)));
      return Files.isRegularFile(p) ? p : null;
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /**
   * qcfg's own build: its jar's path, size and time (a rebuilt or upgraded jar is another qcfg),
   * else, run from a class directory, its version and that directory.
   */
  private static String qcfgBuild() {
    try {
      Path code = codeLocation();
      BasicFileAttributes a = Files.readAttributes(code, BasicFileAttributes.class);
      if (a.isRegularFile()) {
        // Milliseconds, not FileTime's text: that loads java.time's date classes before the publish.
        return code + "\0" + a.size() + '\0' + a.lastModifiedTime().toMillis();
      }
      return version() + '\0' + code;
    } catch (java.net.URISyntaxException | IOException | RuntimeException e) {
      return version();
    }
  }

  private static String version() {
    return String.valueOf(StartInputs.class.getPackage().getImplementationVersion());
  }

  /**
   * The jar (or class directory) qcfg's classes come from. Classes the bootstrap loader defined
   * (the agent's manifest puts qcfg.jar there) have no code source: the JVM's {@code -javaagent}
   * options name the jar ({@link OwnJar}); failing that the system loader names it, as the jar is
   * on the system class path as well (which opens the jar in Java: slower).
   */
  private static Path codeLocation() throws java.net.URISyntaxException {
    if (StartInputs.class.getClassLoader() != null) { // the bootstrap loader's have no code source
      // (and asking a class of it initialises the JDK's security constants: a dozen permissions)
      var source = StartInputs.class.getProtectionDomain().getCodeSource();
      if (source != null && source.getLocation() != null) {
        return Path.of(source.getLocation().toURI());
      }
    }
    Path jar = OwnJar.fromCommandLine();
    if (jar != null) {
      return jar;
    }
    URL self = ClassLoader.getSystemResource(
        StartInputs.class.getName().replace('.', '/') + ".class");
    jar = self == null ? null : jarFile(self);
    if (jar == null) {
      throw new IllegalStateException("qcfg's classes come from no jar the system loader knows");
    }
    return jar;
  }

  private String digest(String text) {
    return hex(mac.get().doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
