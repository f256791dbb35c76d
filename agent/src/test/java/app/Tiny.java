package app;

import io.qcfg.ConfigValue;

/** A small annotated object created a million times. */
public class Tiny {
  @ConfigValue("i.int") int value = -1;
  final byte[] payload = new byte[64];
}
