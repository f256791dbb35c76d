package io.qcfg.internal.jmx;

import javax.management.ConstructorParameters;

/**
 * One applied version, as the MBean's {@code history()} lists it (an open {@code CompositeData} on
 * the wire).
 */
public final class HistoryInfo {
  private final long version;
  private final String checksum;
  private final String environment;
  private final String createdAt;
  private final String cause;
  private final boolean confirmed;

  /**
   * @param version the snapshot version
   * @param checksum SHA-256 hex of the canonical rendering
   * @param environment the environment it was built for
   * @param createdAt when it was applied, ISO-8601
   * @param cause why it was built ({@code startup}, {@code reload by jmx:alice}, ...)
   */
  @ConstructorParameters({"version", "checksum", "environment", "createdAt", "cause"})
  public HistoryInfo(
      long version, String checksum, String environment, String createdAt, String cause) {
    this(version, checksum, environment, createdAt, cause, false);
  }

  /**
   * @param confirmed whether the version passed probation or was a rollback's target (issue 18).
   *     An MXBean client reading a JVM from before this item gets the constructor above: false
   */
  @ConstructorParameters({"version", "checksum", "environment", "createdAt", "cause", "confirmed"})
  public HistoryInfo(long version, String checksum, String environment, String createdAt,
      String cause, boolean confirmed) {
    this.version = version;
    this.checksum = checksum;
    this.environment = environment;
    this.createdAt = createdAt;
    this.cause = cause;
    this.confirmed = confirmed;
  }

  public long getVersion() {
    return version;
  }

  public String getChecksum() {
    return checksum;
  }

  public String getEnvironment() {
    return environment;
  }

  public String getCreatedAt() {
    return createdAt;
  }

  public String getCause() {
    return cause;
  }

  /** Whether history marks the version confirmed (probation passed, or a rollback's target). */
  public boolean isConfirmed() {
    return confirmed;
  }
}
