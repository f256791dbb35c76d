package io.qcfg.internal.jmx;

import javax.management.ConstructorParameters;

/**
 * One leaf path that differs between two configurations, as {@link SnapshotDiff} computes it and
 * the MBean's {@code diff(from, to)} returns it (an open {@code CompositeData} on the wire). Values
 * are HOCON renderings with secrets replaced by {@code <redacted>}; a changed secret shows as
 * changed, never what it changed from or to.
 */
public final class ChangeInfo {
  /** What happened to the path. */
  public static final String ADDED = "added";

  public static final String REMOVED = "removed";
  public static final String CHANGED = "changed";

  private final String path;
  private final String kind;
  private final String before;
  private final String after;
  private final String beforeLocation;
  private final String afterLocation;
  private final boolean secret;

  /**
   * @param path the leaf path
   * @param kind {@link #ADDED}, {@link #REMOVED} or {@link #CHANGED}
   * @param before the old value, "" when added
   * @param after the new value, "" when removed
   * @param beforeLocation where the old value came from, "" when added
   * @param afterLocation where the new value came from, "" when removed
   * @param secret whether either side is a secret (and both values are therefore redacted)
   */
  @ConstructorParameters({
    "path",
    "kind",
    "before",
    "after",
    "beforeLocation",
    "afterLocation",
    "secret"
  })
  public ChangeInfo(
      String path,
      String kind,
      String before,
      String after,
      String beforeLocation,
      String afterLocation,
      boolean secret) {
    this.path = path;
    this.kind = kind;
    this.before = before;
    this.after = after;
    this.beforeLocation = beforeLocation;
    this.afterLocation = afterLocation;
    this.secret = secret;
  }

  public String getPath() {
    return path;
  }

  public String getKind() {
    return kind;
  }

  public String getBefore() {
    return before;
  }

  public String getAfter() {
    return after;
  }

  public String getBeforeLocation() {
    return beforeLocation;
  }

  public String getAfterLocation() {
    return afterLocation;
  }

  public boolean isSecret() {
    return secret;
  }

  /** {@code + path = value}, {@code - path = value} or {@code ~ path: old -> new}. */
  @Override
  public String toString() {
    switch (kind) {
      case ADDED:
        return "+ " + path + " = " + after + "  # " + afterLocation;
      case REMOVED:
        return "- " + path + " = " + before + "  # " + beforeLocation;
      default:
        return "~ " + path + ": " + before + " -> " + after + "  # " + afterLocation;
    }
  }
}
