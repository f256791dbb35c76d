package io.qcfg.internal;

import io.qcfg.QcfgException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The options of one qcfg instance, resolved from the agent argument (or the map given to {@code
 * Qcfg.start}), {@code qcfg.<key>} system properties and {@code QCFG_<KEY>} environment
 * variables, in that order of precedence (DESIGN.md, "Build and launch").
 *
 * @param dir configuration directory
 * @param env environment name, or null to detect it
 * @param envSource where {@code env} came from ({@code option}, {@code QCFG_ENV}); null if absent
 * @param state writable state directory (history, audit log); by default {@code
 *     .qcfg/<config dir name>-<8 hex of its real path's SHA-256>}, so that each configuration
 *     directory has its own
 * @param watch {@code true}, {@code false} or {@code poll:<duration>}
 * @param jmx whether to register the MBean
 * @param key file holding the key ring for {@code ENC[...]} values, or null
 * @param packages package prefixes to instrument; empty means all but JDK and qcfg
 * @param history how many applied snapshots to keep
 * @param format the config format the application needs, or 0 for "from reference.conf"
 * @param maxFileSize largest layer file accepted, in bytes
 * @param substitute names allowed in {@code ${...}} substitutions from environment variables:
 *     null for the environment's default, {@code *} for all
 * @param onInvalidStart {@code exit} or {@code continue}: what the agent does when the first
 *     configuration is invalid and history has nothing usable
 * @param resolveLimits {@code max-depth}, {@code max-appends}, {@code max-value-length} and
 *     {@code max-leaves}: the limits a layer file and its resolve are held to
 * @param http where the status endpoint listens, or null for none
 * @param log where log lines go (stderr text, JSON lines, {@link System.Logger}), and the level
 * @param trace {@code startup} to print the start-up trace ({@link
 *     io.qcfg.internal.log.StartupTrace}), or null
 * @param guard probation and its health signals (issue 18): {@code probation}, {@code
 *     health-url}, {@code health-interval}, {@code health-timeout}, {@code uncaught-rate}
 */
public record QcfgOptions(
    Path dir,
    String env,
    String envSource,
    Path state,
    String watch,
    boolean jmx,
    Path key,
    List<String> packages,
    int history,
    int format,
    long maxFileSize,
    String substitute,
    String verify,
    Path publicKey,
    String etcd,
    String etcdPrefix,
    String etcdUser,
    Path etcdPasswordFile,
    Path etcdCa,
    String instance,
    String onInvalidStart,
    ResolveLimits resolveLimits,
    io.qcfg.internal.http.BindAddress http,
    io.qcfg.internal.log.LogOption log,
    String trace,
    io.qcfg.internal.guard.GuardOptions guard) {

  /**
   * The limits of parse and resolve (issue 15 items 2-4); see {@code layer.Limits}.
   *
   * @param maxDepth deepest path, in segments (option {@code max-depth})
   * @param maxAppends most {@code +=} on one path in one file (option {@code max-appends})
   * @param maxValueLength longest resolved value, characters (option {@code max-value-length})
   * @param maxLeaves most settings a resolve may produce (option {@code max-leaves})
   */
  public record ResolveLimits(int maxDepth, int maxAppends, long maxValueLength, long maxLeaves) {}

  /** Every option name, in the order the README lists them. */
  public static final List<String> NAMES =
      List.of(
          "dir",
          "env",
          "state",
          "watch",
          "jmx",
          "key",
          "packages",
          "history",
          "format",
          "max-file-size",
          "substitute",
          "verify",
          "public-key",
          "etcd",
          "etcd-prefix",
          "etcd-user",
          "etcd-password-file",
          "etcd-ca",
          "instance",
          "on-invalid-start",
          "max-depth",
          "max-appends",
          "max-value-length",
          "max-leaves",
          "http",
          "log",
          "trace",
          "probation",
          "health-url",
          "health-interval",
          "health-timeout",
          "uncaught-rate");

  public static final long DEFAULT_MAX_FILE_SIZE = 8L * 1024 * 1024;

  public QcfgOptions {
    packages = List.copyOf(packages);
  }

  /** Defaults only: {@code ./config}, detected environment, {@code ./.qcfg/config-<hash>}. */
  public static QcfgOptions defaults() {
    return resolve(Map.of(), new Properties(), Map.of());
  }

  /**
   * Parses an agent argument: {@code key=value} pairs separated by commas.
   *
   * @throws QcfgException.BadOption for a pair without {@code =} or an unknown key
   */
  public static Map<String, String> parseAgentArgs(String args) {
    Map<String, String> out = new LinkedHashMap<>();
    if (args == null || args.isBlank()) {
      return out;
    }
    for (String pair : args.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new QcfgException.BadOption(
            "agent option '" + pair.trim() + "' is not key=value; valid keys: " + NAMES);
      }
      out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return out;
  }

  /**
   * Resolves options: {@code given} (agent argument or API) wins over {@code qcfg.*} system
   * properties, which win over {@code QCFG_*} environment variables.
   *
   * @throws QcfgException.BadOption for an unknown key in {@code given} or a bad value anywhere
   */
  public static QcfgOptions resolve(
      Map<String, String> given, Properties sysProps, Map<String, String> envVars) {
    for (String k : given.keySet()) {
      if (!NAMES.contains(k)) {
        throw new QcfgException.BadOption(
            "unknown option '" + k + "'"
                + io.qcfg.internal.text.NearestName.hint(k, NAMES)
                + "; valid options: " + String.join(", ", NAMES));
      }
    }
    Map<String, String> v = new LinkedHashMap<>();
    Map<String, String> from = new LinkedHashMap<>();
    for (String name : NAMES) {
      String envName = "QCFG_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
      if (given.containsKey(name)) {
        v.put(name, given.get(name));
        from.put(name, "option");
      } else if (sysProps.getProperty("qcfg." + name) != null) {
        v.put(name, sysProps.getProperty("qcfg." + name));
        from.put(name, "option");
      } else if (envVars.get(envName) != null) {
        v.put(name, envVars.get(envName));
        from.put(name, envName);
      }
    }
    String env = blankToNull(v.get("env"));
    Path dir = path("dir", v.getOrDefault("dir", "config"));
    return new QcfgOptions(
        dir,
        env,
        env == null ? null : from.get("env"),
        v.containsKey("state")
            ? path("state", v.get("state"))
            : io.qcfg.internal.history.StateDir.defaultFor(dir),
        parseWatch(v.getOrDefault("watch", "true")),
        parseBoolean("jmx", v.getOrDefault("jmx", "true")),
        blankToNull(v.get("key")) == null ? null : path("key", v.get("key").trim()),
        parsePackages(v.getOrDefault("packages", "")),
        parseInt("history", v.getOrDefault("history", "50"), 1, 100_000),
        parseInt("format", v.getOrDefault("format", "0"), 0, 1_000_000),
        parseSize("max-file-size", v.getOrDefault("max-file-size", "" + DEFAULT_MAX_FILE_SIZE)),
        blankToNull(v.get("substitute")),
        parseVerify(v.getOrDefault("verify", "auto")),
        blankToNull(v.get("public-key")) == null ? null : path("public-key", v.get("public-key")),
        blankToNull(v.get("etcd")),
        v.getOrDefault("etcd-prefix", "/qcfg/app/"),
        blankToNull(v.get("etcd-user")),
        blankToNull(v.get("etcd-password-file")) == null
            ? null : path("etcd-password-file", v.get("etcd-password-file")),
        blankToNull(v.get("etcd-ca")) == null ? null : path("etcd-ca", v.get("etcd-ca")),
        parseInstance(v.get("instance")),
        parseOnInvalidStart(v.getOrDefault("on-invalid-start", "exit")),
        new ResolveLimits(
            parseInt("max-depth", v.getOrDefault("max-depth", "200"), 8, 10_000),
            parseInt("max-appends", v.getOrDefault("max-appends", "64"), 1, 100_000),
            parseSize("max-value-length", v.getOrDefault("max-value-length", "1MiB")),
            parseInt("max-leaves", v.getOrDefault("max-leaves", "200000"), 1, 100_000_000)),
        blankToNull(v.get("http")) == null || v.get("http").trim().equals("false")
            ? null : io.qcfg.internal.http.BindAddress.parse(v.get("http")),
        parseLog(v.getOrDefault("log", "stderr")),
        parseTrace(v.getOrDefault("trace", "off")),
        io.qcfg.internal.guard.GuardOptions.parse(v));
  }

  /** Whether {@code trace=startup} is set. */
  public boolean traceStartup() {
    return "startup".equals(trace);
  }

  private static String parseTrace(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.equals("startup")) {
      return t;
    }
    if (t.isEmpty() || t.equals("off") || t.equals("false")) {
      return null;
    }
    throw new QcfgException.BadOption(
        "option trace: expected startup or off, found '" + s + "'");
  }

  private static io.qcfg.internal.log.LogOption parseLog(String s) {
    io.qcfg.internal.log.LogOption o = io.qcfg.internal.log.LogOption.parse(s);
    if (o == null) {
      throw new QcfgException.BadOption(
          "option log: expected stderr, json or system, a level (debug, info, warn, error, off),"
              + " or both as json:debug; found '" + s + "'");
    }
    return o;
  }

  private static String parseInstance(String s) {
    String t = blankToNull(s);
    if (t == null) {
      return null;
    }
    t = t.trim();
    if (t.length() > 200 || !t.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/')) {
      throw new QcfgException.BadOption("QCFG-4656",
          "option instance: expected up to 200 printable ASCII characters without '/' or spaces,"
              + " found '" + s + "'");
    }
    return t;
  }

  private static String parseVerify(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.equals("auto") || t.equals("required") || t.equals("off")) {
      return t;
    }
    throw new QcfgException.BadOption(
        "option verify: expected auto, required or off, found '" + s + "'");
  }

  private static String parseOnInvalidStart(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.equals("exit") || t.equals("continue")) {
      return t;
    }
    throw new QcfgException.BadOption(
        "option on-invalid-start: expected exit or continue, found '" + s + "'");
  }

  private static Path path(String name, String s) {
    try {
      if (s.isBlank()) {
        throw new java.nio.file.InvalidPathException(s, "empty");
      }
      return Path.of(s.trim());
    } catch (java.nio.file.InvalidPathException e) {
      throw new QcfgException.BadOption(
          "option " + name + ": not a usable path: " + e.getReason());
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String parseWatch(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("false") || t.startsWith("poll:")) {
      return t;
    }
    throw new QcfgException.BadOption(
        "option watch: expected true, false or poll:<duration> (e.g. poll:2s), found '" + s + "'");
  }

  private static boolean parseBoolean(String name, String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true")) {
      return true;
    }
    if (t.equals("false")) {
      return false;
    }
    throw new QcfgException.BadOption(
        "option " + name + ": expected true or false, found '" + s + "'");
  }

  private static int parseInt(String name, String s, int min, int max) {
    try {
      int i = Integer.parseInt(s.trim());
      if (i >= min && i <= max) {
        return i;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new QcfgException.BadOption(
        "option " + name + ": expected a whole number from " + min + " to " + max + ", found '"
            + s + "'");
  }

  private static long parseSize(String name, String s) {
    String t = s.trim().toUpperCase(Locale.ROOT);
    long mult = 1;
    for (String[] unit : new String[][] {{"KIB", "1024"}, {"MIB", "1048576"}, {"K", "1024"},
        {"M", "1048576"}, {"B", "1"}}) {
      if (t.endsWith(unit[0])) {
        mult = Long.parseLong(unit[1]);
        t = t.substring(0, t.length() - unit[0].length()).trim();
        break;
      }
    }
    try {
      long n = Long.parseLong(t) * mult;
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new QcfgException.BadOption(
        "option " + name + ": expected a size such as 8MiB or 65536, found '" + s + "'");
  }

  private static List<String> parsePackages(String s) {
    if (s.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String p : s.split(":")) {
      if (!p.isBlank()) {
        out.add(p.trim());
      }
    }
    return Collections.unmodifiableList(out);
  }

}
