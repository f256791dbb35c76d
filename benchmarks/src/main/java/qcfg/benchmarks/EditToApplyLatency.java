package qcfg.benchmarks;

import io.qcfg.ConfigValue;
import io.qcfg.Qcfg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Edit-to-apply latency (issue 4): from the moment an edit is complete (the rename done, the last
 * write closed, the {@code ..data} symlink swapped) to the moment the new value is visible in a
 * bound field, over many edits of each kind. Not JMH: each sample is one real file-system event
 * through inotify, the quiet window and the whole pipeline, timed with {@code System.nanoTime}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar qcfg.benchmarks.EditToApplyLatency [edits] [poll-interval]
 * </pre>
 *
 * <p>What would make it lie: a machine busy with other work (the quiet window and the applier
 * compete for the same cores); edits faster than the quiet window (they coalesce: each edit here
 * waits for the previous one to be visible first).
 */
public final class EditToApplyLatency {
  /** The bound field the edits change. */
  static final class Target {
    @ConfigValue("bench.value")
    volatile int value = -1;
  }

  private interface Edit {
    void apply(Path dir, int value) throws IOException;
  }

  public static void main(String[] args) throws Exception {
    int edits = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    String poll = args.length > 1 ? args[1] : "500ms";
    System.out.printf("edit-to-apply latency, %d edits per kind, %d cores, %s%n", edits,
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
    run("rename over (vim, IntelliJ)", "true", edits, EditToApplyLatency::renameOver, false);
    run("in-place rewrite", "true", edits, EditToApplyLatency::inPlace, false);
    run("Kubernetes ..data swap", "true", edits, EditToApplyLatency::dataSwap, true);
    run("polling " + poll + ", in-place", "poll:" + poll, Math.max(10, edits / 10),
        EditToApplyLatency::inPlace, false);
  }

  private static void run(String name, String watch, int edits, Edit edit, boolean k8s)
      throws Exception {
    Path root = Files.createTempDirectory("qcfg-latency");
    Path dir = root.resolve("config");
    Files.createDirectories(dir);
    if (k8s) {
      dataSwap(dir, 0);
    } else {
      Files.writeString(dir.resolve("application.conf"), text(0));
    }
    Qcfg.start(Map.of("dir", dir.toString(), "state", root.resolve("state").toString(),
        "watch", watch, "jmx", "false"));
    Target target = Qcfg.bind(new Target());
    List<Double> ms = new ArrayList<>();
    try {
      for (int i = 1; i <= edits; i++) {
        edit.apply(dir, i);
        long t0 = System.nanoTime();
        long deadline = t0 + 10_000_000_000L;
        while (target.value != i) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(name + ": edit " + i + " not applied within 10 s");
          }
          Thread.onSpinWait();
        }
        ms.add((System.nanoTime() - t0) / 1e6);
      }
    } finally {
      Qcfg.stop();
    }
    Collections.sort(ms);
    System.out.printf("%-32s n=%4d  median %7.1f ms  p99 %7.1f ms  max %7.1f ms%n", name,
        ms.size(), ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.99) - 1),
        ms.get(ms.size() - 1));
  }

  private static String text(int value) {
    return "bench.value = " + value + "\nbench.name = \"latency\"\n";
  }

  private static void renameOver(Path dir, int value) throws IOException {
    Path tmp = dir.resolve(".application.conf.tmp~");
    Files.writeString(tmp, text(value));
    Files.move(tmp, dir.resolve("application.conf"), StandardCopyOption.ATOMIC_MOVE);
  }

  private static void inPlace(Path dir, int value) throws IOException {
    Files.writeString(dir.resolve("application.conf"), text(value));
  }

  /** What kubelet does: a new timestamped directory, ..data_tmp pointing at it, renamed. */
  private static void dataSwap(Path dir, int value) throws IOException {
    Path ts = dir.resolve("..2026_01_01_00_00_00." + value);
    Files.createDirectories(ts);
    Files.writeString(ts.resolve("application.conf"), text(value));
    Path tmp = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, ts.getFileName());
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    Path link = dir.resolve("application.conf");
    if (!Files.isSymbolicLink(link)) {
      Files.createSymbolicLink(link, Path.of("..data/application.conf"));
    }
    Path previous = dir.resolve("..2026_01_01_00_00_00." + (value - 1));
    if (value > 0 && Files.exists(previous)) {
      Files.delete(previous.resolve("application.conf"));
      Files.delete(previous);
    }
  }
}
