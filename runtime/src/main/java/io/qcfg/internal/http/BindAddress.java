package io.qcfg.internal.http;

import io.qcfg.QcfgException;
import java.net.InetSocketAddress;

/**
 * The {@code http} option: {@code PORT}, {@code HOST:PORT} or {@code [IPv6]:PORT}. A bare port
 * binds the loopback interface only; any other interface must be spelled out (for example {@code
 * 0.0.0.0:9460}), so that a status page never becomes public by accident.
 */
public record BindAddress(String host, int port) {
  /** The port of the examples: Prometheus' default-port allocation has no entry for it. */
  public static final int DEFAULT_PORT = 9460;

  /**
   * @throws QcfgException.BadOption for anything that is not a port, a host and port, or
   *     {@code true} (the loopback interface on {@link #DEFAULT_PORT})
   */
  public static BindAddress parse(String value) {
    String v = value.trim();
    if (v.equals("true")) {
      return new BindAddress("127.0.0.1", DEFAULT_PORT);
    }
    int colon = v.lastIndexOf(':');
    String host = colon < 0 ? "127.0.0.1" : v.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "127.0.0.1";
    }
    String port = colon < 0 ? v : v.substring(colon + 1);
    try {
      int p = Integer.parseInt(port);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return new BindAddress(host, p);
    } catch (NumberFormatException e) {
      throw new QcfgException.BadOption(
          "option http: expected PORT or HOST:PORT (e.g. 127.0.0.1:" + DEFAULT_PORT
              + "), found '" + value + "'");
    }
  }

  InetSocketAddress socketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
