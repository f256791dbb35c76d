package io.qcfg.internal.jmx;

/**
 * Who is calling the MBean, and with which role.
 *
 * @param principal the authenticated JMX principal name, or null for a local caller (in-process, or
 *     the attach API's local connector, which only the same OS user can open)
 * @param role the role: {@link Role#ADMIN} for local callers, else from {@code qcfg.access}
 */
public record Caller(String principal, Role role) {

  /** Whether the caller came without authentication: in-process or over the local connector. */
  public boolean local() {
    return principal == null;
  }

  /**
   * The actor name recorded in causes and the audit log: {@code jmx:alice} or {@code jmx:local}.
   */
  public String actor() {
    return "jmx:" + (principal == null ? "local" : principal);
  }

  /** {@code alice} or {@code local caller}, for messages. */
  public String displayName() {
    return principal == null ? "local caller" : principal;
  }
}
