package io.qcfg;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The one exception type qcfg throws, with a nested kind per situation, as Typesafe Config's
 * {@code ConfigException} does. Every message starts with a location and carries a stable id
 * ({@code QCFG-NNNN}) that the README's troubleshooting section lists. No message ever contains a
 * secret value.
 */
public class QcfgException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String id;

  protected QcfgException(String id, String message, Throwable cause) {
    super(message, cause);
    this.id = id;
  }

  protected QcfgException(String id, String message) {
    this(id, message, null);
  }

  /** The stable message id, e.g. {@code QCFG-1001}. */
  public String id() {
    return id;
  }

  /** A candidate configuration failed one or more checks; carries every problem found. */
  public static final class Invalid extends QcfgException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public Invalid(List<Problem> problems) {
      super(
          problems.isEmpty() ? "QCFG-1000" : problems.get(0).id(),
          render(problems));
      this.problems = List.copyOf(problems);
    }

    public Invalid(Problem problem) {
      this(List.of(problem));
    }

    /** Every problem of the candidate, in the order found. */
    public List<Problem> problems() {
      return problems;
    }

    /** At most this many problems are listed in a message; the rest are counted. */
    public static final int SHOWN = 20;

    private static String render(List<Problem> problems) {
      if (problems.size() == 1) {
        return "invalid configuration: " + problems.get(0);
      }
      String more =
          problems.size() > SHOWN ? "\n  and " + (problems.size() - SHOWN) + " more" : "";
      return "invalid configuration, "
          + problems.size()
          + " problems:"
          + problems.stream().limit(SHOWN).map(p -> "\n  " + p).collect(Collectors.joining())
          + more;
    }
  }

  /** A path that a caller asked for is not in the snapshot. */
  public static final class Missing extends QcfgException {
    private static final long serialVersionUID = 1L;
    private final String path;

    public Missing(String location, String path) {
      super("QCFG-2001", location + ": " + path + ": no value at this path [QCFG-2001]");
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  /** A value exists but cannot be converted to the requested type. */
  public static final class WrongType extends QcfgException {
    private static final long serialVersionUID = 1L;
    private final String path;

    public WrongType(String location, String path, String expected, String found) {
      super(
          "QCFG-2002",
          location
              + ": "
              + path
              + ": expected "
              + expected
              + ", found "
              + found
              + " [QCFG-2002]");
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  /** Options or arguments given to qcfg are wrong (unknown option, bad value). */
  public static final class BadOption extends QcfgException {
    private static final long serialVersionUID = 1L;

    public BadOption(String message) {
      super("QCFG-0001", message + " [QCFG-0001]");
    }

    public BadOption(String id, String message) {
      super(id, message.endsWith("]") ? message : message + " [" + id + "]");
    }
  }

  /** qcfg was used before it was started. */
  public static final class NotStarted extends QcfgException {
    private static final long serialVersionUID = 1L;

    public NotStarted() {
      super(
          "QCFG-0002",
          "qcfg is not running: start the JVM with -javaagent:qcfg.jar or call Qcfg.start()"
              + " [QCFG-0002]");
    }

    /** With a message that says more about why (no implementation on the class path). */
    public NotStarted(String message) {
      super("QCFG-0002", message);
    }
  }

  /** An operation was refused: by role, by a pinning layer, or by state. */
  public static final class Refused extends QcfgException {
    private static final long serialVersionUID = 1L;

    public Refused(String id, String message) {
      super(id, message + " [" + id + "]");
    }
  }

  /** A state that should be impossible; a bug in qcfg. */
  public static final class BugOrBroken extends QcfgException {
    private static final long serialVersionUID = 1L;

    public BugOrBroken(String message, Throwable cause) {
      super("QCFG-9999", message + " [QCFG-9999]", cause);
    }
  }
}
