package io.qcfg.internal.snapshot;

import io.qcfg.internal.crypto.SecretPaths;
import io.qcfg.internal.log.StartupTrace;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A snapshot's secret rule ({@link SecretPaths#isSecret}) made on its first question rather than
 * before the snapshot is published: the fast restart's start tree knows its secret leaves, and
 * the redactor their values, without it (issue 16).
 *
 * <p>Concurrency: any thread may ask first; two that race may both make the rule, from the same
 * immutable inputs, and either one is kept (a volatile write of an immutable object).
 */
final class LazySecretRule implements Predicate<String> {
  private final Supplier<SecretPaths> make;
  private volatile SecretPaths rule;

  LazySecretRule(Supplier<SecretPaths> make) {
    this.make = make;
  }

  @Override
  public boolean test(String path) {
    SecretPaths r = rule;
    if (r == null) {
      long t = StartupTrace.begin();
      r = make.get();
      rule = r;
      StartupTrace.end("secret rule (made when first asked)", t);
    }
    return r.isSecret(path);
  }
}
