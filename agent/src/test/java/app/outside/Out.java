package app.outside;

import io.qcfg.ConfigValue;

/** Outside the instrumented packages: left alone. */
public class Out {
  @ConfigValue("s.string") public static String text = "declared";
  @ConfigValue("s.int") public int number = -1;
}
