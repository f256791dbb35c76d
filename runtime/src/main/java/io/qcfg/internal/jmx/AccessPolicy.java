package io.qcfg.internal.jmx;

import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.internal.log.Log;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.AccessController;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;

/**
 * Decides the {@link Role} of the current JMX caller.
 *
 * <p>A call with no authenticated {@link Subject} is local: made in-process or over the attach
 * API's local connector, which the JVM opens only to the same OS user. Local callers are {@link
 * Role#ADMIN}. (A remote connector started without authentication also arrives without a Subject;
 * whoever runs such a connector has handed out the whole JVM already.)
 *
 * <p>A remote call authenticated by a password carries a {@link JMXPrincipal}. Its role comes from
 * the active snapshot, so that changing it is validated, versioned and audited like any change:
 *
 * <pre>
 * qcfg.access {
 *   operators = [alice]   # reload, rollback, overrides
 *   admins = [root]       # also environment switches and qcfg.access overrides
 * }
 * </pre>
 *
 * Everyone else is a {@link Role#READER}. A malformed list is ignored with a warning: a typo must
 * never widen access.
 */
public final class AccessPolicy {
  /** The section of the configuration that grants roles to principals. */
  public static final String SECTION = "qcfg.access";

  private static final Method SUBJECT_CURRENT = subjectCurrent();

  private AccessPolicy() {}

  /** The caller of the current thread, its role read from {@code active}. */
  public static Caller currentCaller(Snapshot active) {
    String principal = principalOf(currentSubject());
    if (principal == null) {
      return new Caller(null, Role.ADMIN);
    }
    return new Caller(principal, roleOf(principal, active));
  }

  /** The role {@code qcfg.access} gives a remote principal. */
  public static Role roleOf(String principal, Snapshot active) {
    if (listed(active, SECTION + ".admins", principal)) {
      return Role.ADMIN;
    }
    if (listed(active, SECTION + ".operators", principal)) {
      return Role.OPERATOR;
    }
    return Role.READER;
  }

  /** Whether {@code path} is, or lies inside, the section that grants roles. */
  public static boolean isAccessPath(String path) {
    String p = path.trim().replace("\"", "");
    return p.equals("qcfg") || p.equals(SECTION) || p.startsWith(SECTION + ".");
  }

  private static boolean listed(Snapshot active, String path, String principal) {
    if (active == null || !active.hasPath(path)) {
      return false;
    }
    try {
      List<String> names = active.getStringList(path);
      return Set.copyOf(names).contains(principal);
    } catch (QcfgException e) {
      Log.warnOnce(
          "access-list:" + path + ":" + active.version(),
          "QCFG-5105: "
              + active.origin(path).map(o -> o.location()).orElse(path)
              + ": "
              + path
              + ": expected a list of principal names, ignoring it (nobody gets a role from it)");
      return false;
    }
  }

  private static String principalOf(Subject subject) {
    if (subject == null) {
      return null;
    }
    Set<JMXPrincipal> jmx = subject.getPrincipals(JMXPrincipal.class);
    if (!jmx.isEmpty()) {
      return jmx.iterator().next().getName();
    }
    // Authenticated by some other login module: use its first principal, never "local".
    for (Principal p : subject.getPrincipals()) {
      return p.getName();
    }
    // Authenticated, yet nameless: a remote caller all the same, so never admin.
    return "(anonymous)";
  }

  /**
   * The Subject of the current call. JDK 18+ has {@code Subject.current()} (the only way that keeps
   * working once the Security Manager APIs are gone); JDK 17 needs the access-control context.
   */
  static Subject currentSubject() {
    if (SUBJECT_CURRENT != null) {
      try {
        return (Subject) SUBJECT_CURRENT.invoke(null);
      } catch (IllegalAccessException | InvocationTargetException e) {
        return legacySubject();
      }
    }
    return legacySubject();
  }

  @SuppressWarnings("removal")
  private static Subject legacySubject() {
    return Subject.getSubject(AccessController.getContext());
  }

  private static Method subjectCurrent() {
    try {
      return Subject.class.getMethod("current");
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
