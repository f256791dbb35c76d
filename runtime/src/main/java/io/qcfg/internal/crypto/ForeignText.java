package io.qcfg.internal.crypto;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValueType;
import io.qcfg.Problem;
import io.qcfg.internal.tree.Leaves;
import io.qcfg.internal.tree.Origins;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one way text from outside qcfg reaches a user: messages of Typesafe Config, everit,
 * org.json, Jackson, Pebble and the JDK are reworded by {@link #describe} (one line, bounded, no
 * dump of a configuration tree, no token text that may be a value) and every shown text passes
 * {@link #scrub}, which removes the secret values qcfg has seen.
 *
 * <p>{@link io.qcfg.Problem} and {@link io.qcfg.internal.log.Log} apply {@link #scrub} to
 * everything they carry, so a problem, a log line, JMX {@code LastError}, the audit log and the
 * CLI show no known secret even when a caller forgot to reword a message.
 *
 * <p>Concurrency: {@link #remember} is rare (once per build) and copies under a lock; readers
 * take the volatile {@link Redactor} and never block.
 */
public final class ForeignText {
  /** The longest reason shown; longer text is cut with a count of what was left out. */
  public static final int MAX_LENGTH = 400;

  /** How many secret values are kept for scrubbing (oldest are forgotten first). */
  private static final int KEPT = 4096;

  // The patterns of the wording of a library's message, compiled when the first one is worded:
  // the redactor's remember runs on a fast restart's path before its publish, and compiling these
  // there took 2 ms, cold, for a start that words no message (issue 16).
  private static final class Wording {
    // Typesafe's resolve errors print whole trees and their environment; cut at the first dump.
    static final Pattern DUMP =
        Pattern.compile(
            "(ResolveSource|SimpleConfigObject|SimpleConfigList|ConfigString|Quoted|Unquoted"
                + "|ConfigConcatenation|ConfigDelayedMerge|ConfigReference|ConfigInt|ConfigLong"
                + "|ConfigDouble|ConfigBoolean|ConfigNull|SimpleConfig|ResolveContext)\\(");
    // Quoted text in a library message may be a value ("For input string: \"hunter2\"",
    // Jackson's "Unrecognized token 'hunter2'", Typesafe's "No number in duration value
    // 'hunter2'"). Quoted punctuation (one character) stays; so does text right after a word that
    // introduces a name.
    static final Pattern QUOTED = Pattern.compile("'[^'\\n]*'|\"[^\"\\n]*\"");
    static final Pattern NAMED = Pattern.compile(
        "(?i)(?:at|key|path|setting|file|variable|template|include|property|name)\\s*$");
  }

  private static final Object LOCK = new Object();
  private static final LinkedHashSet<String> known = new LinkedHashSet<>(); // guarded by LOCK
  private static volatile Redactor redactor = Redactor.none();
  // The last tree whose every leaf value is in known (by identity: trees are immutable), so that
  // a build after which the secret layer is the same object learns nothing again (issue 19 item
  // 3). Cleared when a value is forgotten. Guarded by LOCK.
  private static Object allLeavesKnown;
  // The process environment (System.getenv(), an immutable map, by identity) once its credential
  // values are in known: each build remembers it, and a first start does so ahead, off the
  // applier (issue 16). Cleared when a value is forgotten. Guarded by LOCK.
  private static Map<String, String> environmentKnown;

  private ForeignText() {}

  /** Remembers secret values (plaintexts and {@code ENC[...]} texts) so that no output shows them. */
  public static void remember(Collection<String> values) {
    synchronized (LOCK) {
      add(values);
    }
  }

  /**
   * Adds {@code values} to known and forgets the oldest over {@link #KEPT}; under LOCK. Whether
   * it forgot any.
   */
  private static boolean add(Collection<String> values) {
    boolean changed = false;
    for (String v : values) {
      if (v != null && v.length() >= Redactor.MIN_LENGTH) {
        changed |= known.add(v); // the redactor is rebuilt only for a value not seen before
      }
    }
    boolean forgot = false;
    for (Iterator<String> it = known.iterator(); known.size() > KEPT; ) {
      it.next();
      it.remove();
      forgot = true;
    }
    if (forgot) {
      allLeavesKnown = null;
      environmentKnown = null;
    }
    if (changed) {
      redactor = Redactor.of(List.copyOf(known));
    }
    return forgot;
  }

  /**
   * Remembers every leaf of {@code tree} (the secret layer), walking it only when it is not the
   * tree this was last called with, or a value has been forgotten since.
   */
  public static void rememberAllLeavesOf(com.typesafe.config.Config tree) {
    synchronized (LOCK) {
      if (tree == allLeavesKnown) {
        return;
      }
    }
    // Outside the lock: a walk, with no path made (every leaf counts), in no particular order.
    List<String> values = new ArrayList<>();
    Leaves.forEachScalar(tree.root(), v -> addLeafValue(values, v));
    synchronized (LOCK) {
      allLeavesKnown = add(values) ? null : tree; // forgot one: maybe of these, walk next time
    }
  }

  /** The values of the leaves of {@code tree} that {@code secret} accepts, for {@link #remember}. */
  public static List<String> secretValuesOf(
      com.typesafe.config.Config tree, java.util.function.Predicate<String> secret) {
    List<String> values = new ArrayList<>();
    Leaves.forEachLeaf(
        tree.root(),
        (path, v) -> {
          if (secret.test(path)) {
            addLeafValue(values, v);
          }
        });
    return values;
  }

  /** Adds the text the redactor learns of the scalar {@code v} (none for a null) to values. */
  public static void addLeafValue(List<String> values, com.typesafe.config.ConfigValue v) {
    if (v.valueType() != ConfigValueType.NULL) {
      values.add(String.valueOf(v.unwrapped()));
    }
  }

  /** Remembers the values of environment variables whose names name a credential. */
  public static void rememberEnvironment(Map<String, String> environment) {
    boolean process = environment == System.getenv(); // immutable: the same map, the same values
    synchronized (LOCK) {
      if (process && environment == environmentKnown) {
        return;
      }
    }
    List<String> values = new ArrayList<>();
    for (Map.Entry<String, String> e : environment.entrySet()) {
      if (SecretPaths.namesCredential(e.getKey())) {
        values.add(e.getValue());
      }
    }
    synchronized (LOCK) {
      boolean forgot = add(values);
      environmentKnown = process && !forgot ? environment : null;
    }
  }

  /** For tests: forget every remembered value. */
  public static void forget() {
    synchronized (LOCK) {
      known.clear();
      allLeavesKnown = null;
      environmentKnown = null;
      redactor = Redactor.none();
    }
  }

  /** {@code text} with every remembered secret replaced by {@link Redactor#REDACTED}. */
  public static String scrub(String text) {
    return redactor.scrub(text);
  }

  /** {@code text} as one line of at most {@link #MAX_LENGTH} characters, scrubbed. */
  public static String shown(String text) {
    if (text == null) {
      return null;
    }
    String line = scrub(text).replaceAll("\\s*[\\r\\n]+\\s*", " ");
    if (line.length() > MAX_LENGTH) {
      int cut = MAX_LENGTH - 40;
      line = line.substring(0, cut) + "… (" + (line.length() - cut) + " more characters)";
    }
    return line;
  }

  /** A problem from a Typesafe exception, with its origin prefix moved into the location. */
  public static Problem problem(String id, ConfigException e, String fallbackLocation) {
    ConfigOrigin o = e.origin();
    String location = o == null ? fallbackLocation : Origins.location(o);
    // qcfg's wording: no origin prefix, no tree dump, no quoted token, no known secret
    return new Problem(id, location, "", describe(e));
  }

  /**
   * qcfg's wording for an exception from a library or the JDK: what went wrong, without the
   * library's dump of trees, tokens or stack. Never null; scrubbed; one bounded line.
   */
  public static String describe(Throwable t) {
    return shown(wording(t));
  }

  private static String wording(Throwable t) {
    if (t == null) {
      return "unknown error";
    }
    if (t instanceof StackOverflowError) {
      return "nested too deep for the stack (StackOverflowError)";
    }
    if (t instanceof OutOfMemoryError) {
      return "out of memory (OutOfMemoryError)";
    }
    if (t instanceof java.io.UncheckedIOException && t.getCause() != null) {
      return wording(t.getCause());
    }
    String msg = t.getMessage();
    if (t instanceof ConfigException ce) {
      return typesafe(ce);
    }
    if (t instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
      // getMessage() appends a source excerpt, which may be a value.
      var loc = j.getLocation();
      return "not valid JSON: " + cleaned(String.valueOf(j.getOriginalMessage()))
          + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")");
    }
    if (t instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + msg;
    }
    if (t instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + msg;
    }
    if (t instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason() + (f.getFile() == null ? "" : ": " + f.getFile());
    }
    if (t instanceof io.pebbletemplates.pebble.error.PebbleException p) {
      String m = p.getPebbleMessage() == null ? "template error" : p.getPebbleMessage();
      return cleaned(m) + (p.getLineNumber() == null ? "" : " (line " + p.getLineNumber() + ")");
    }
    String simple = t.getClass().getSimpleName();
    return msg == null || msg.isBlank() ? simple : cleaned(msg);
  }

  /** A Typesafe message without its origin prefix, tree dumps or quoted tokens. */
  private static String typesafe(ConfigException e) {
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e.origin() != null && msg.startsWith(e.origin().description() + ": ")) {
      msg = msg.substring(e.origin().description().length() + 2);
    }
    return cleaned(msg);
  }

  private static String cleaned(String msg) {
    var dump = Wording.DUMP.matcher(msg);
    if (dump.find()) {
      msg = msg.substring(0, dump.start()).replaceAll("[\\s,:;=(\\[{]+$", "") + " (details hidden)";
    }
    var quoted = Wording.QUOTED.matcher(msg);
    StringBuilder out = new StringBuilder();
    while (quoted.find()) {
      String before = msg.substring(Math.max(0, quoted.start() - 12), quoted.start());
      boolean punctuation = quoted.group().length() <= 3;
      String keep =
          punctuation || Wording.NAMED.matcher(before).find() ? quoted.group() : "<text>";
      quoted.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(keep));
    }
    return quoted.appendTail(out).toString();
  }
}
