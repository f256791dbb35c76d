package io.qcfg.internal.text;

/** Lets tests in other packages pick {@link Sha256}'s implementation (both give equal bytes). */
public final class Sha256Selection {
  private Sha256Selection() {}

  /** From now on {@link Sha256#create()} uses the JDK's digest if {@code jdk}, else the pure one. */
  public static void select(boolean jdk) {
    Sha256.select(jdk);
  }
}
