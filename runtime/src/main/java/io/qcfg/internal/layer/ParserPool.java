package io.qcfg.internal.layer;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@code qcfg-parse} threads: layer files, the parts of a large one ({@link SplitParse}) and
 * the one resolve run here. Made on a build's first use (holder idiom), not when a class that
 * refers to it loads: a fast restart reads the secret layer before its publish and needs no pool
 * (issue 16).
 *
 * <p>A parse that overruns its time budget is interrupted and its thread left to it: a bounded
 * pool would let two runaway parses block every later reload. Idle threads end after 30 s.
 */
final class ParserPool {
  static final ExecutorService POOL =
      new ThreadPoolExecutor(
          0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "qcfg-parse");
            t.setDaemon(true);
            return t;
          });

  private ParserPool() {}
}
