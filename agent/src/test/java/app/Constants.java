package app;

import io.qcfg.ConfigValue;

/** A static final compile-time constant cannot be hot: qcfg warns once. */
public class Constants {
  @ConfigValue("s.int") static final int PORT = 80;
  @ConfigValue("s.string") static String hot = "declared";
}
