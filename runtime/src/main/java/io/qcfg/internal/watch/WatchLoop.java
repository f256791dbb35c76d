package io.qcfg.internal.watch;

/** The body of the watcher thread: {@link #run()} until {@link #stop()} is called. */
interface WatchLoop extends Runnable {
  /** Makes {@link #run()} return promptly and releases OS resources; callable from any thread. */
  void stop();
}
