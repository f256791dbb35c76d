package io.qcfg.internal.etcd;

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One open {@code POST /v3/watch}: the gateway answers with a never-ending body of JSON objects,
 * one per line. Lines are pulled one at a time by {@link #next}, so a slow consumer slows the
 * connection down instead of filling memory.
 *
 * <p>Concurrency: the HTTP client's threads call the subscriber methods and only add to {@code
 * queue}; the watch thread alone calls {@link #next}; {@link #close} may be called from any thread
 * and wakes a blocked {@link #next}.
 */
public final class WatchStream implements Flow.Subscriber<String>, AutoCloseable {
  private static final Object END = new Object();

  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final URI endpoint;
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;
  private volatile int httpStatus;
  private volatile CompletableFuture<?> exchange;

  /** A stream for a watch on {@code endpoint}; an {@link EtcdHttp} feeds it. */
  WatchStream(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** The transport's exchange, cancelled by {@link #close}. */
  public void exchange(CompletableFuture<?> x) {
    exchange = x;
    if (closed) {
      x.cancel(true);
    }
  }

  /** The answer's HTTP status arrived. */
  public void answered(int status) {
    httpStatus = status;
  }

  URI endpoint() {
    return endpoint;
  }

  /** The HTTP status of the answer, 0 until the headers arrived. */
  int httpStatus() {
    return httpStatus;
  }

  /**
   * The next non-blank line, or null if none came within {@code wait}.
   *
   * @throws IOException when the stream failed or ended (a watch never ends by itself)
   */
  String next(Duration wait) throws IOException, InterruptedException {
    while (true) {
      Object o = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
      if (o == null) {
        return null;
      }
      if (o instanceof String line) {
        Flow.Subscription s = subscription;
        if (s != null) {
          s.request(1);
        }
        if (line.isBlank()) {
          continue;
        }
        return line;
      }
      queue.add(o); // terminal: keep it for any later call
      if (o instanceof IOException e) {
        throw e;
      }
      if (o instanceof Throwable t) {
        Throwable c = t.getCause() != null ? t.getCause() : t;
        throw c instanceof IOException io ? io : new IOException(c);
      }
      throw new EOFException("etcd closed the watch stream");
    }
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(String line) {
    queue.add(line);
  }

  @Override
  public void onError(Throwable t) {
    queue.add(t);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  /** Cancels the request, which closes its connection, and wakes {@link #next}. */
  @Override
  public void close() {
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    CompletableFuture<?> x = exchange;
    if (x != null) {
      x.cancel(true); // aborts a connection attempt still in progress (JDK 16+)
    }
    queue.add(END);
  }
}
