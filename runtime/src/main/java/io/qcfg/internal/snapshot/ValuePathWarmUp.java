package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigValue;
import io.qcfg.internal.bind.ValueConverter;
import io.qcfg.internal.tree.Origins;

/**
 * The cold code between a fast restart's snapshot and a bound field's value, run once on a qcfg
 * thread while the applier still works towards the publish: the first bound class otherwise runs
 * it on the application's main thread, right after the publish. A value made from the start tree
 * gets a Typesafe origin (Typesafe's {@code ConfigImpl} and its value classes initialise), a number
 * keeps its text ({@link StartTreeNumbers}), its location is worded ({@link Origins}) and it is
 * converted ({@link ValueConverter}). About 5 ms of main's CPU when 50 classes bind fields at a
 * restart on a tiny configuration, where nothing else initialises Typesafe first (issue 16).
 * Initialises only qcfg's own and relocated classes; never throws.
 */
public final class ValuePathWarmUp {
  private ValuePathWarmUp() {}

  /** Runs the value path once on sample values; a failure only leaves it cold. */
  public static void run() {
    try {
      ConfigOrigin origin = ConfigOriginFactory.newSimple("qcfg warm-up").withLineNumber(1);
      ConfigValue number = StartTreeNumbers.of(1, origin, "1");
      String location = Origins.location(origin);
      ValueConverter.convert(number, int.class, "warm-up", location);
      ValueConverter.convert(
          com.typesafe.config.ConfigValueFactory.fromAnyRef("text", "qcfg warm-up"),
          String.class, "warm-up", location);
    } catch (RuntimeException | LinkageError e) {
      // the first bound class runs it then, and meets whatever this met
    }
  }
}
