package io.qcfg.internal.jmx;

/**
 * Told about every MBean operation refused for lack of a role, after the denial is logged and
 * before the caller gets its {@link SecurityException}. Integration writes these to the audit log.
 *
 * <p>Called on the JMX thread that served the call; it must be quick and must not throw (an
 * exception it throws is logged and ignored: the caller is denied either way).
 */
@FunctionalInterface
public interface AccessDeniedListener {
  /** Does nothing: the denial is still logged on stderr. */
  AccessDeniedListener NONE = (caller, operation, needed) -> {};

  /**
   * @param caller who called, with the role they have
   * @param operation the operation with its non-secret arguments, e.g. {@code reload()} or {@code
   *     setOverride(http.port)}
   * @param needed the role the operation needs
   */
  void denied(Caller caller, String operation, Role needed);
}
