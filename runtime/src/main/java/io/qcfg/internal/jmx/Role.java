package io.qcfg.internal.jmx;

import java.util.Locale;

/**
 * What a JMX caller may do with the qcfg MBean. Each role includes the rights of the ones before
 * it.
 *
 * <ul>
 *   <li>{@link #READER}: attributes, {@code get}, {@code history}, {@code diff}
 *   <li>{@link #OPERATOR}: also {@code reload}, {@code rollback}, {@code setOverride}, {@code
 *       clearOverride}
 *   <li>{@link #ADMIN}: also {@code switchEnvironment}, and overrides of {@code qcfg.access}
 * </ul>
 */
public enum Role {
  READER,
  OPERATOR,
  ADMIN;

  /** Whether this role has at least the rights of {@code needed}. */
  public boolean allows(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The lower-case name used in messages and in {@code qcfg.access}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
