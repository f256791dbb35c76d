package io.qcfg.internal.validate;

/**
 * Thrown inside this package where a fast path (a plain JSON read, a direct schema build, the
 * quick check) meets something it leaves to the general one; caught by that path's entry point
 * and never seen outside it. One shared instance without a stack trace: it is cheap to throw.
 */
final class Declined extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final Declined INSTANCE = new Declined();

  private Declined() {
    super(null, null, false, false);
  }
}
