package io.qcfg.cli;

import io.qcfg.internal.jmx.ConfigMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qcfg status [--pid PID] [--json]}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Without --pid: list the local JVMs (same OS user) that run qcfg, with version, environment"
          + " and checksum. JVMs that cannot be attached to are skipped.",
      "With --pid: the full state of one JVM, including the last rejected change.",
      "",
      "Exit status: 0 healthy; 1 when the last change of the JVM (with --pid) was rejected or it"
          + " cannot be reached, so that 'qcfg status --pid P' serves as a health check."
    })
final class StatusCommand extends Verb {
  /** How long one JVM may take to answer before it is skipped. */
  private static final long PER_JVM_SECONDS = 10;

  @Option(names = "--pid", paramLabel = "PID", description = "One JVM's process id.")
  Long pid;

  @Option(names = "--json", description = "JSON for scripts.")
  boolean json;

  @Override
  public Integer call() {
    if (pid != null) {
      try (JvmConnection jvm = cli().jvms.open(pid)) {
        Map<String, Object> s = details(pid, jvm.qcfg());
        if (json) {
          out().println(JsonOutput.write(s));
        } else {
          s.forEach((k, v) -> out().printf("%-21s %s%n", k + ":", v));
        }
        return "ok".equals(s.get("health")) ? QcfgCli.OK : QcfgCli.FAILED;
      }
    }
    List<Map<String, Object>> found = scan();
    if (json) {
      out().println(JsonOutput.write(found));
    } else if (found.isEmpty()) {
      out().println("no running JVM with qcfg found (only JVMs of this OS user can be seen)");
    } else {
      out()
          .printf(
              "%-8s %8s  %-12s %-12s %s%n", "PID", "VERSION", "ENVIRONMENT", "CHECKSUM", "HEALTH");
      for (Map<String, Object> s : found) {
        out()
            .printf(
                "%-8s %8s  %-12s %-12s %s%n",
                s.get("pid"),
                s.get("version"),
                s.get("environment"),
                ((String) s.get("checksum")).substring(0, 12),
                s.get("health"));
      }
    }
    return QcfgCli.OK;
  }

  /** Asks every local JVM in parallel; the ones that fail, hang or lack qcfg are left out. */
  private List<Map<String, Object>> scan() {
    List<Long> pids = cli().jvms.list();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(4, pids.size())),
            r -> {
              Thread t = new Thread(r, "qcfg-status");
              t.setDaemon(true);
              return t;
            });
    try {
      List<CompletableFuture<Map<String, Object>>> asks = new ArrayList<>();
      for (long p : pids) {
        asks.add(CompletableFuture.supplyAsync(() -> summary(p), pool));
      }
      List<Map<String, Object>> out = new ArrayList<>();
      for (CompletableFuture<Map<String, Object>> ask : asks) {
        try {
          Map<String, Object> s = ask.get(PER_JVM_SECONDS, TimeUnit.SECONDS);
          if (s != null) {
            out.add(s);
          }
        } catch (ExecutionException | TimeoutException e) {
          // Skipped: not attachable (other user, no attach listener) or too slow.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private Map<String, Object> summary(long p) {
    if (!cli().jvms.marked(p)) {
      return null;
    }
    try (JvmConnection jvm = cli().jvms.open(p)) {
      if (!jvm.hasQcfg()) {
        return null;
      }
      ConfigMXBean bean = jvm.qcfg();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pid", p);
      m.put("version", bean.getVersion());
      m.put("environment", bean.getEnvironment());
      m.put("checksum", bean.getChecksum());
      m.put("health", health(bean));
      return m;
    }
  }

  /** {@code ok}, or {@code rejected} while the last change of the JVM was rejected. */
  private static String health(ConfigMXBean bean) {
    return bean.isLastReloadSuccessful() ? "ok" : "rejected";
  }

  private static Map<String, Object> details(long pid, ConfigMXBean bean) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pid", pid);
    m.put("version", bean.getVersion());
    m.put("environment", bean.getEnvironment());
    m.put("checksum", bean.getChecksum());
    m.put("health", health(bean));
    m.put("loadedAt", bean.getLoadedAt());
    m.put("lastReloadSuccessful", bean.isLastReloadSuccessful());
    m.put("reloadCount", bean.getReloadCount());
    m.put("rejectedCount", bean.getRejectedCount());
    if (bean.getEtcdRevision() >= 0) {
      m.put("etcdRevision", bean.getEtcdRevision()); // fleet view: same revision + checksum
      m.put("etcdStatus", bean.getEtcdStatus());
    }
    try { // issue 18: shown only with option probation
      if (!bean.getProbation().isEmpty()) {
        m.put("probation", bean.getProbation());
      }
      if (!bean.getLastAutoRollback().isEmpty()) {
        m.put("lastAutoRollback", bean.getLastAutoRollback());
      }
    } catch (RuntimeException e) {
      // a JVM running an older qcfg has no such attributes
    }
    m.put("lastError", bean.getLastError());
    return m;
  }
}
