package io.qcfg.internal;

import io.qcfg.internal.layer.LayerFileReader;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.layer.SecretFiles;
import io.qcfg.internal.layer.Limits;
import io.qcfg.internal.log.StartupTrace;
import java.util.function.Consumer;

/**
 * What a fast restart reads before its publish without a {@link Pipeline}: the layer file reader
 * and the secret layer alone. A class of its own, so that the read-ahead of the secrets does not
 * load and link {@link Pipeline} (a large class whose verification loads much of the build) on
 * the restart's critical path (issue 16).
 */
public final class LayerReads {
  private LayerReads() {}

  /** A layer file reader with the limits of {@code options}; its parse cache is thread-safe. */
  public static LayerFileReader reader(QcfgOptions options) {
    long t = StartupTrace.begin();
    QcfgOptions.ResolveLimits rl = options.resolveLimits();
    LayerFileReader reader = new LayerFileReader(Limits.DEFAULT.withMaxFileSize(
        options.maxFileSize()).withResolveLimits(rl.maxDepth(), rl.maxAppends(),
        rl.maxValueLength(), rl.maxLeaves()));
    StartupTrace.end("layer file reader (load, make)", t);
    return reader;
  }

  /**
   * See {@link Pipeline#secretLayerAlone}: the layer's files unmerged, each resolved one's
   * scalars given to {@code parsed} as soon as it is read ({@link
   * LayerStack#secretFilesPlainFirst}).
   */
  public static SecretFiles secretFilesAlone(QcfgOptions options, LayerFileReader reader,
      Consumer<SecretFiles.Scalars> parsed) {
    long t = StartupTrace.begin();
    LayerStack stack = new LayerStack(reader, null);
    StartupTrace.end("secret layer: layer stack (load, make)", t);
    return stack.secretFilesPlainFirst(options.dir(), parsed);
  }
}
