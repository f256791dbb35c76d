package io.qcfg;

/**
 * One thing wrong with a candidate configuration. Problems are collected, never thrown one by
 * one, so that a user sees every problem of a candidate at once.
 *
 * <p>{@link #toString()} renders {@code location: path: reason [id]}, for example {@code
 * config/environments/production.conf:12: http.port: expected a number from 1 to 65535, found
 * 70000 [QCFG-3001]}.
 *
 * @param id the stable message id, {@code QCFG-NNNN}; ids are never reused
 * @param location {@code file:line}, a file, or a layer name; never null
 * @param path the configuration path the problem is about, or {@code ""} for the whole file
 * @param reason what was expected and what was found, with no secret value in it
 */
public record Problem(String id, String location, String path, String reason) {

  /**
   * Every problem is shown as built here: the reason is one line of at most a few hundred
   * characters, and no secret value qcfg knows survives in the reason or the location, whoever
   * wrote the text (a library's message included).
   */
  public Problem {
    io.qcfg.spi.QcfgBackend b = Backend.orNull();
    if (b != null) {
      reason = b.shown(reason);
      location = b.scrub(location);
    }
  }

  /** A problem about {@code path}, located where {@code candidate} says that path came from. */
  public static Problem of(String id, Snapshot candidate, String path, String reason) {
    String location =
        candidate.origin(path).map(Origin::location).orElse("(merged configuration)");
    return new Problem(id, location, path, reason);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(location).append(": ");
    if (!path.isEmpty()) {
      sb.append(path).append(": ");
    }
    return sb.append(reason).append(" [").append(id).append(']').toString();
  }
}
