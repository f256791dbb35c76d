package io.qcfg.internal.validate;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a list of problems is shown everywhere (log, JMX {@code LastError}, audit, CLI): the first
 * {@link QcfgException.Invalid#SHOWN}, one line each, then {@code and K more}. A candidate with
 * 5,000 bad lines must not become a message of megabytes.
 */
public final class ProblemList {
  private ProblemList() {}

  /** One text per shown problem, plus a last {@code and K more} when some were left out. */
  public static List<String> lines(List<Problem> problems) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < problems.size() && i < QcfgException.Invalid.SHOWN; i++) {
      out.add(problems.get(i).toString());
    }
    if (problems.size() > QcfgException.Invalid.SHOWN) {
      out.add("and " + (problems.size() - QcfgException.Invalid.SHOWN) + " more");
    }
    return out;
  }

  /** {@link #lines} joined by {@code separator}. */
  public static String joined(List<Problem> problems, String separator) {
    return String.join(separator, lines(problems));
  }
}
