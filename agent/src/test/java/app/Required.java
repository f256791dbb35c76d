package app;

import io.qcfg.ConfigValue;

/** A class whose required path may be missing. */
public class Required {
  @ConfigValue(value = "needed.url", required = true) static String url = "unset";
}
