package io.qcfg;

/**
 * A registered change listener ({@link Qcfg#onChange}). Close it to stop the calls; {@code close}
 * throws no checked exception, so it fits try-with-resources without a {@code catch}.
 */
public interface Subscription extends AutoCloseable {
  /**
   * Removes the listener. Idempotent; never blocks: a call already running on the qcfg thread
   * finishes, no later change calls the listener.
   */
  @Override
  void close();
}
