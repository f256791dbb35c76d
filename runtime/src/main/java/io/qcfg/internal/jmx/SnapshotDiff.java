package io.qcfg.internal.jmx;

import io.qcfg.Origin;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The leaf-level difference between two snapshots, with secrets redacted. Used by the MBean's
 * {@code diff(from, to)} and by {@code qcfg diff}, so both say the same thing.
 */
public final class SnapshotDiff {
  private SnapshotDiff() {}

  /**
   * Every leaf path added, removed or changed from {@code from} to {@code to}, sorted by path.
   * Values are compared as values (not by where they came from): a value that moved from one file
   * to another unchanged is not a change.
   */
  public static List<ChangeInfo> between(ConfigSnapshot from, ConfigSnapshot to) {
    Set<String> all = new TreeSet<>(from.paths());
    all.addAll(to.paths());
    List<ChangeInfo> out = new ArrayList<>();
    for (String path : all) {
      boolean inFrom = from.paths().contains(path);
      boolean inTo = to.paths().contains(path);
      // A path secret on either side is redacted on both: the other side may hold the same text.
      boolean secret = from.isSecret(path) || to.isSecret(path);
      if (inFrom && inTo) {
        if (!from.valueAt(path).equals(to.valueAt(path))) {
          out.add(
              new ChangeInfo(
                  path,
                  ChangeInfo.CHANGED,
                  show(from, path, secret),
                  show(to, path, secret),
                  where(from, path),
                  where(to, path),
                  secret));
        }
      } else if (inTo) {
        out.add(
            new ChangeInfo(
                path, ChangeInfo.ADDED, "", show(to, path, secret), "", where(to, path), secret));
      } else {
        out.add(
            new ChangeInfo(
                path,
                ChangeInfo.REMOVED,
                show(from, path, secret),
                "",
                where(from, path),
                "",
                secret));
      }
    }
    return out;
  }

  private static String show(ConfigSnapshot s, String path, boolean secret) {
    return secret ? ConfigSnapshot.REDACTED : s.describe(path);
  }

  private static String where(ConfigSnapshot s, String path) {
    return s.origin(path).map(Origin::toString).orElse("");
  }
}
