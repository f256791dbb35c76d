package app;

import io.qcfg.ConfigValue;

/** A subclass with annotated fields of its own: the object is still bound once. */
public class SpecialService extends Service {
  @ConfigValue("sub.extra") int extra = 7;

  public SpecialService() {
    super("special");
  }
}
