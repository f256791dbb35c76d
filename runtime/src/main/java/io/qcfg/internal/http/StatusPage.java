package io.qcfg.internal.http;

import io.qcfg.Origin;
import io.qcfg.QcfgException;
import io.qcfg.internal.jmx.ChangeInfo;
import io.qcfg.internal.jmx.ConfigOperations;
import io.qcfg.internal.jmx.HistoryInfo;
import io.qcfg.internal.jmx.SnapshotDiff;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read-only HTML page at {@code /}: the active version, environment and the value and origin
 * of every setting (secrets redacted), the version timeline with causes, the diff of any two kept
 * versions ({@code ?from=A&to=B}, chosen with a plain form) and the last error. Plain HTML: it
 * works with JavaScript off, and every text is escaped.
 */
final class StatusPage {
  private StatusPage() {}

  static StatusServer.Response render(ConfigOperations ops, URI uri) {
    if (!uri.getPath().equals("/")) {
      return new StatusServer.Response(404, "text/plain; charset=utf-8", "not found\n");
    }
    ConfigSnapshot s = ops.current();
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>qcfg status</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append("td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left;")
        .append("font-family:ui-monospace,monospace;font-size:90%}")
        .append(".ok{color:#176f2c}.bad{color:#b00020}pre{background:#f6f6f6;padding:.6em}")
        .append("</style></head><body>\n");
    if (s == null) {
      h.append("<h1>qcfg</h1><p id=\"health\" class=\"bad\">starting: no configuration yet</p>");
      return page(h);
    }
    boolean ok = ops.lastReloadSuccessful();
    h.append("<h1>qcfg: version <span id=\"version\">").append(s.version())
        .append("</span></h1>\n<p id=\"health\" class=\"").append(ok ? "ok\">healthy" : "bad\">")
        .append(ok ? "" : "the last change was rejected; running on version " + s.version())
        .append("</p>\n<table id=\"summary\">");
    row(h, "environment", s.environment() + " (from " + s.environmentSource() + ")");
    row(h, "checksum", s.checksum());
    row(h, "applied at", ops.loadedAt() == null ? "" : ops.loadedAt().toString());
    row(h, "cause", s.cause());
    row(h, "changes applied / rejected", ops.reloadCount() + " / " + ops.rejectedCount());
    io.qcfg.internal.engine.GuardState g = ops.probation();
    if (g.enabled()) { // issue 18
      row(h, "probation", g.probation().isEmpty() ? "none (confirmed: version "
          + g.confirmedVersion() + ")" : g.probation());
      if (!g.quarantinedChecksum().isEmpty()) {
        row(h, "quarantined", g.quarantinedChecksum());
      }
      if (!g.lastAutoRollback().isEmpty()) {
        row(h, "last automatic rollback", g.lastAutoRollback());
      }
    }
    h.append("</table>\n");
    if (!ops.lastError().isEmpty()) {
      h.append("<h2>Last error</h2>\n<pre id=\"last-error\">").append(esc(ops.lastError()))
          .append("</pre>\n");
    }
    history(h, ops, uri);
    h.append("<h2>Settings</h2>\n<table id=\"settings\"><tr><th>path</th><th>value</th>")
        .append("<th>origin</th></tr>\n");
    for (String path : s.paths()) {
      String origin = s.origin(path).map(Origin::toString).orElse("");
      h.append("<tr><td>").append(esc(path)).append("</td><td>").append(esc(s.describe(path)))
          .append("</td><td>").append(esc(origin)).append("</td></tr>\n");
    }
    h.append("</table>\n");
    return page(h);
  }

  private static void history(StringBuilder h, ConfigOperations ops, URI uri) {
    List<HistoryInfo> versions;
    try {
      versions = ops.history();
    } catch (QcfgException e) {
      return;
    }
    h.append("<h2>Versions</h2>\n<table id=\"history\"><tr><th>version</th><th>applied at</th>")
        .append("<th>environment</th><th>checksum</th><th>confirmed</th><th>cause</th></tr>\n");
    for (int i = versions.size() - 1; i >= 0; i--) {
      HistoryInfo v = versions.get(i);
      h.append("<tr><td>").append(v.getVersion()).append("</td><td>").append(esc(v.getCreatedAt()))
          .append("</td><td>").append(esc(v.getEnvironment())).append("</td><td>")
          .append(esc(v.getChecksum().substring(0, Math.min(12, v.getChecksum().length()))))
          .append("</td><td>").append(v.isConfirmed() ? "yes" : "")
          .append("</td><td>").append(esc(v.getCause())).append("</td></tr>\n");
    }
    h.append("</table>\n");
    if (versions.size() < 2) {
      return;
    }
    Map<String, String> q = query(uri);
    long from = number(q.get("from"), versions.get(versions.size() - 2).getVersion());
    long to = number(q.get("to"), versions.get(versions.size() - 1).getVersion());
    h.append("<form id=\"diff-form\" method=\"get\" action=\"/\">Diff from ");
    select(h, "from", versions, from);
    h.append(" to ");
    select(h, "to", versions, to);
    h.append(" <button type=\"submit\">show</button></form>\n");
    if (!q.containsKey("from")) {
      return;
    }
    h.append("<h3>Changes from version ").append(from).append(" to ").append(to).append("</h3>\n");
    try {
      List<ChangeInfo> changes = SnapshotDiff.between(ops.snapshotAt(from), ops.snapshotAt(to));
      h.append("<table id=\"diff\"><tr><th></th><th>path</th><th>before</th><th>after</th>")
          .append("<th>origin</th></tr>\n");
      for (ChangeInfo c : changes) {
        h.append("<tr><td>").append(esc(c.getKind())).append("</td><td>").append(esc(c.getPath()))
            .append("</td><td>").append(esc(nullToEmpty(c.getBefore()))).append("</td><td>")
            .append(esc(nullToEmpty(c.getAfter()))).append("</td><td>")
            .append(esc(nullToEmpty(c.getAfterLocation()))).append("</td></tr>\n");
      }
      h.append("</table>\n<p>").append(changes.size()).append(" changes</p>\n");
    } catch (QcfgException e) {
      h.append("<p class=\"bad\">").append(esc(e.getMessage())).append("</p>\n");
    }
  }

  private static void select(StringBuilder h, String name, List<HistoryInfo> versions, long chosen) {
    h.append("<select name=\"").append(name).append("\">");
    for (HistoryInfo v : versions) {
      h.append("<option").append(v.getVersion() == chosen ? " selected" : "").append('>')
          .append(v.getVersion()).append("</option>");
    }
    h.append("</select>");
  }

  private static StatusServer.Response page(StringBuilder h) {
    h.append("</body></html>\n");
    return new StatusServer.Response(200, "text/html; charset=utf-8", h.toString());
  }

  private static void row(StringBuilder h, String name, String value) {
    h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value))
        .append("</td></tr>");
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String q = uri.getRawQuery();
    if (q == null) {
      return out;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return out;
  }

  private static long number(String s, long otherwise) {
    try {
      return s == null ? otherwise : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
