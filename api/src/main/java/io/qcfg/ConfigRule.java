package io.qcfg;

import java.util.List;

/**
 * A custom validation rule, run on every candidate snapshot after the JSON Schema passed and
 * before the candidate is applied. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.qcfg.ConfigRule}) on the class path of the application.
 *
 * <p>A rule must be side-effect free and fast; it may be called from any qcfg thread. An
 * exception thrown by a rule is itself reported as a problem of the candidate (the candidate is
 * rejected), naming the rule class. A rule that has not returned after 10 s rejects the candidate
 * (QCFG-1312), and so does every later candidate until it returns. A rule cannot change the
 * configuration itself (QCFG-1606).
 */
public interface ConfigRule {

  /**
   * Checks a candidate snapshot.
   *
   * @return the problems found, empty when the candidate is fine; build them with {@link
   *     Problem#of(String, Snapshot, String, String)} so that they point at the user's file
   */
  List<Problem> check(Snapshot candidate);
}
