package io.qcfg.internal.http;

import io.qcfg.internal.jmx.ConfigOperations;
import io.qcfg.internal.snapshot.ConfigSnapshot;

/**
 * {@code /metrics} in Prometheus' text exposition format (version 0.0.4). The reload gauges use
 * the names Prometheus uses for its own configuration ({@code ..._last_reload_successful},
 * {@code ..._last_reload_success_timestamp_seconds}), so existing alerts carry over.
 */
final class Metrics {
  private Metrics() {}

  static StatusServer.Response of(ConfigOperations ops) {
    ConfigSnapshot s = ops.current();
    StringBuilder sb = new StringBuilder();
    gauge(sb, "qcfg_config_version", "Version of the active configuration snapshot.",
        s == null ? 0 : s.version());
    gauge(sb, "qcfg_config_last_reload_successful",
        "Whether the last configuration change was applied (1) or rejected (0).",
        ops.lastReloadSuccessful() ? 1 : 0);
    gauge(sb, "qcfg_config_last_reload_success_timestamp_seconds",
        "When the active configuration was applied, in seconds since the epoch.",
        ops.loadedAt() == null ? 0 : ops.loadedAt().toEpochMilli() / 1000.0);
    long rejected = ops.rejectedCount();
    sb.append("# HELP qcfg_config_reloads_total Configuration change attempts by outcome:"
            + " accepted (applied, or unchanged: same checksum) or rejected (invalid).\n")
        .append("# TYPE qcfg_config_reloads_total counter\n")
        .append("qcfg_config_reloads_total{outcome=\"accepted\"} ")
        .append(Math.max(0, ops.reloadCount() - rejected))
        .append('\n')
        .append("qcfg_config_reloads_total{outcome=\"rejected\"} ").append(rejected)
        .append('\n');
    return new StatusServer.Response(200, "text/plain; version=0.0.4; charset=utf-8",
        sb.toString());
  }

  private static void gauge(StringBuilder sb, String name, String help, double value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ');
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      sb.append((long) value);
    } else {
      sb.append(java.math.BigDecimal.valueOf(value).toPlainString()); // never 1.7E9
    }
    sb.append('\n');
  }
}
