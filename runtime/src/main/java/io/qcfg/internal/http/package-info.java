/**
 * The opt-in HTTP endpoint of a running qcfg ({@code http=HOST:PORT}): {@code /health} for
 * probes, {@code /metrics} in Prometheus' text format, {@code /status} as JSON and {@code /} a
 * read-only HTML page. Served by the JDK's {@code com.sun.net.httpserver}; nothing here changes
 * the configuration, and every value shown goes through the snapshot's redaction.
 */
package io.qcfg.internal.http;
