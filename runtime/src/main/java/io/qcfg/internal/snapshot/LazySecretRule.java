package io.qcfg.internal.snapshot;

import io.qcfg.internal.crypto.SecretPaths;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.log.StartupTrace;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A snapshot's secret rule ({@link SecretPaths#isSecret}) made on its first question rather than
 * before the snapshot is published: the fast restart's start tree knows its secret leaves, and
 * the redactor their values, without it (issue 16).
 *
 * <p>The start tree is integrity-checked, so its patterns are those a build compiled; if the rule
 * still cannot be made (a writer's bug), the question comes after the publish, from a render or
 * a redaction, and must not fail there: every path is then secret (QCFG-1537), which hides too
 * much until the background build replaces this snapshot, never too little.
 *
 * <p>Concurrency: any thread may ask first; two that race may both make the rule, from the same
 * immutable inputs, and either one is kept (a volatile write of an immutable object).
 */
final class LazySecretRule implements Predicate<String> {
  private static final Predicate<String> EVERY_PATH = path -> true;

  private final Supplier<SecretPaths> make;
  private volatile Predicate<String> rule;

  LazySecretRule(Supplier<SecretPaths> make) {
    this.make = make;
  }

  @Override
  public boolean test(String path) {
    Predicate<String> r = rule;
    if (r == null) {
      long t = StartupTrace.begin();
      r = madeOrEveryPath();
      rule = r;
      StartupTrace.end("secret rule (made when first asked)", t);
    }
    return r.test(path);
  }

  private Predicate<String> madeOrEveryPath() {
    try {
      return make.get()::isSecret;
    } catch (RuntimeException | LinkageError e) {
      // No library text: a pattern's own message could quote a secret's path.
      Log.error("QCFG-1537: the start tree's secret rule cannot be made ("
          + e.getClass().getSimpleName() + "); every setting is treated as secret until the"
          + " next build replaces this snapshot");
      return EVERY_PATH;
    }
  }
}
