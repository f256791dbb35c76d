package io.qcfg.internal;

import io.qcfg.ConfigChange;
import io.qcfg.Snapshot;
import io.qcfg.internal.crypto.ForeignText;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.engine.StartupFailure;
import io.qcfg.spi.QcfgBackend;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The implementation behind {@link io.qcfg.Qcfg} and {@link io.qcfg.Problem}, found by the API jar
 * by name ({@link QcfgBackend#IMPLEMENTATION}); the engine does the work.
 */
public final class ApiBackend implements QcfgBackend {
  @Override
  public Snapshot current() {
    return Engine.require().current();
  }

  @Override
  public boolean isRunning() {
    return Engine.running() != null;
  }

  @Override
  public Snapshot start(Map<String, String> options) {
    QcfgOptions resolved = QcfgOptions.resolve(options, System.getProperties(), System.getenv());
    StartupFailure onFailure = resolved.onInvalidStart().equals("continue")
        ? StartupFailure.CONTINUE : StartupFailure.THROW;
    return Engine.start(resolved, onFailure, StandardExtensions.all()).current();
  }

  @Override
  public void stop() {
    Engine.stopRunning();
  }

  @Override
  public void bind(Object target) {
    Engine.require().binder().bindInstance(target);
  }

  @Override
  public void bindStatic(Class<?> type) {
    Engine.require().binder().bindStatic(type);
  }

  @Override
  public io.qcfg.Subscription onChange(Consumer<ConfigChange> listener) {
    return Engine.require().addListener(listener);
  }

  @Override
  public Snapshot reload() {
    return Engine.require().reload("api", "reload()");
  }

  @Override
  public Snapshot setOverride(String path, String value) {
    return Engine.require().setOverride(path, value, "api");
  }

  @Override
  public Snapshot clearOverride(String path) {
    return Engine.require().clearOverride(path, "api");
  }

  @Override
  public String shown(String text) {
    return ForeignText.shown(text);
  }

  @Override
  public String scrub(String text) {
    return ForeignText.scrub(text);
  }
}
