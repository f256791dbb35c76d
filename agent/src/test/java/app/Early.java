package app;

import io.qcfg.ConfigValue;

/** Loaded, initialised and instantiated before qcfg is attached. */
public class Early {
  @ConfigValue("s.string") static String text = "declared";
  @ConfigValue("s.int") int number = -1;
}
