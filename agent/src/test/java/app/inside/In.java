package app.inside;

import io.qcfg.ConfigValue;

/** In the instrumented package. */
public class In {
  @ConfigValue("s.string") public static String text = "declared";
  @ConfigValue("s.int") public int number = -1;
}
