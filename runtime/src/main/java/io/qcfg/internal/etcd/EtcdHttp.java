package io.qcfg.internal.etcd;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * How {@link EtcdClient} talks HTTP/1.1 to etcd's JSON gateway: {@code
 * io.qcfg.internal.platform.JdkEtcdHttp} on the JDK's {@code java.net.http}, made through {@link
 * io.qcfg.internal.PlatformLinked} (that module is the platform loader's). Redirects are not
 * followed; connections time out after the client's timeout.
 *
 * <p>Concurrency: used by every thread of the client at once.
 */
public interface EtcdHttp extends AutoCloseable {
  /** What an endpoint answered to a POST: the HTTP status and the body. */
  record Answer(int status, byte[] body) {}

  /**
   * POSTs the JSON {@code body} to {@code uri} and waits for the whole answer.
   *
   * @param authorization the {@code Authorization} header, or null
   * @param timeout how long the answer may take, or null for no limit
   */
  Answer post(URI uri, byte[] body, String authorization, Duration timeout)
      throws IOException, InterruptedException;

  /**
   * POSTs the JSON {@code body} to {@code uri} and feeds the answer's lines into {@code into},
   * without waiting (a watch).
   */
  void stream(URI uri, byte[] body, String authorization, WatchStream into);

  /** Ends every request and connection of this transport. */
  @Override
  void close();
}
