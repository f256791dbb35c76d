package io.qcfg.internal.engine;

/**
 * Something that lives as long as an {@link Engine} and plugs in from outside (the MBean, for
 * one), so that the engine depends on none of them.
 */
public interface Extension {
  /** Called on the applier thread after the first snapshot, before {@link Engine#start} returns. */
  void started(Engine engine);

  /** Called when the engine stops. */
  void stopped(Engine engine);
}
