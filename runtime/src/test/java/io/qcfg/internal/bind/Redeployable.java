package io.qcfg.internal.bind;

import io.qcfg.ConfigValue;

/** Loaded by a throw-away class loader in {@link ClassUnloadingTest}: a web application's class. */
public class Redeployable {
  @ConfigValue(value = "web.url", required = true)
  static String url = "unset";

  /** The bound value, read reflectively by the test (it sees another copy of this class). */
  public static String url() {
    return url;
  }
}
