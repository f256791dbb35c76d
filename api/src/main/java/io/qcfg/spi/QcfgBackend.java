package io.qcfg.spi;

import io.qcfg.ConfigChange;
import io.qcfg.Snapshot;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What {@link io.qcfg.Qcfg} and {@link io.qcfg.Problem} need from qcfg's implementation. Not for
 * applications: qcfg's runtime implements it as {@code io.qcfg.internal.ApiBackend}, which the API
 * finds by name at run time (in {@code qcfg.jar} under {@code -javaagent}, or in {@code
 * qcfg-runtime} on the class path), so that the API jar depends on nothing.
 *
 * <p>Each method behaves as the {@code Qcfg} method of the same name documents.
 */
public interface QcfgBackend {
  /** The class qcfg's runtime implements this interface with. */
  String IMPLEMENTATION = "io.qcfg.internal.ApiBackend";

  Snapshot current();

  boolean isRunning();

  Snapshot start(Map<String, String> options);

  void stop();

  void bind(Object target);

  void bindStatic(Class<?> type);

  io.qcfg.Subscription onChange(Consumer<ConfigChange> listener);

  Snapshot reload();

  Snapshot setOverride(String path, String value);

  Snapshot clearOverride(String path);

  /** {@code text} bounded to one line of a few hundred characters, with every secret qcfg knows removed. */
  String shown(String text);

  /** {@code text} with every secret qcfg knows removed. */
  String scrub(String text);
}
