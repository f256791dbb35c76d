package io.qcfg.internal.engine;

import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.crypto.ForeignText;
import io.qcfg.internal.history.StartInputsFile;
import io.qcfg.internal.layer.SecretFiles;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.StartTree;
import io.qcfg.internal.snapshot.StartTreeReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fast restart's snapshot from the start tree ({@link StartTree}), kept next to the
 * fingerprint of the inputs: read straight into the snapshot, with no parse of the history entry
 * (issue 16). Anything amiss (no file, another version, a secret gone or changed, a bound field
 * that cannot take it) gives null, and the caller rebuilds the snapshot from history as before; a
 * file that is not intact is also reported (QCFG-1535).
 *
 * <p>Concurrency: applier thread only, except {@link #write} (and the {@link #forget} it may call),
 * which at a first start runs on {@code qcfg-start-tree} while the applier writes history and
 * audit; it touches only the start tree's file, never this object's fields.
 */
final class FastTree {
  private static final String PURPOSE = "qcfg start tree file v1";
  private static final String SECRETS_PURPOSE = "qcfg start tree secrets v1";

  private final Path state;
  private final Builds builds;
  private String notServed; // why the last read served nothing, for the trace

  FastTree(Path state, Builds builds) {
    this.state = state;
    this.builds = builds;
  }

  private OneShot<SecretFiles> secretsAhead; // the prefetch, or null
  // Completed once the redactor knows the prefetched layer's values (or the prefetch failed).
  private OneShot<Void> secretsTold;

  /**
   * Starts reading the secret layer on its own thread (qcfg-secrets) when the configuration
   * directory has one: its parse then runs beside the applier's next steps on the second core.
   * It reads through a layer stack of its own, never the pipeline's, so a full build may start
   * while it runs. The files are not merged (the sealed leaves' lookups walk them), and once the
   * applier has them the redactor learns every value of every file here, also one that a higher
   * file overrides, as every build learns the layer's first ({@code Pipeline.build}). Once per
   * start: a second call while one is under way does nothing.
   */
  void prefetchSecrets() {
    if (secretsAhead != null || !Files.isDirectory(builds.dir().resolve("secrets"))) {
      return; // already under way, or nothing to read
    }
    var ahead = new OneShot<SecretFiles>();
    var told = new OneShot<Void>();
    secretsAhead = ahead;
    secretsTold = told;
    Thread t = new Thread(() -> {
      long at = io.qcfg.internal.log.StartupTrace.begin();
      try {
        // Never the pipeline's layer stack: the applier's. The applier then only adds the start
        // tree's other secrets to the redactor.
        List<SecretFiles.Scalars> parsed =
            java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        SecretFiles layer = builds.secretFilesAlone(parsed::add);
        ahead.complete(layer); // the applier unseals the start tree's secrets meanwhile
        io.qcfg.internal.log.StartupTrace.end("fast path: secret layer (read ahead)", at);
        long r = io.qcfg.internal.log.StartupTrace.begin();
        // Every file's values, then one remember: the redactor is made once, not once a file.
        List<String> values = new java.util.ArrayList<>();
        for (SecretFiles.Scalars c : parsed) {
          c.forEach(v -> ForeignText.addLeafValue(values, v));
        }
        ForeignText.remember(values);
        io.qcfg.internal.log.StartupTrace.end("secrets: the redactor knows every file's values", r);
      } catch (RuntimeException | Error e) {
        ahead.completeExceptionally(e);
      } finally {
        told.complete(null);
      }
    }, "qcfg-secrets");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Waits for the prefetch of the secret layer and the redactor's learning of it, if one runs;
   * its failure is not this one's.
   */
  void joinSecrets() {
    var told = secretsTold;
    if (told != null) {
      told.join(); // never completed exceptionally
    }
  }

  private SecretFiles secretLayer() {
    long t = io.qcfg.internal.log.StartupTrace.begin();
    var ahead = secretsAhead;
    SecretFiles layer = ahead != null ? ahead.join() : builds.secretLayer();
    io.qcfg.internal.log.StartupTrace.end("fast path: secret layer (wait for it)", t);
    return layer;
  }

  // The outcome of decodeAhead: the reader, or why the file cannot serve (reported by read).
  private static final class Decoded {
    final StartTreeReader reader;
    final Exception failure; // Broken, OlderFormat, NotServed or a RuntimeException, or null

    Decoded(StartTreeReader reader, Exception failure) {
      this.reader = reader;
      this.failure = failure;
    }

    StartTreeReader get() throws StartTreeReader.Broken, StartTreeReader.OlderFormat,
        StartTreeReader.NotServed {
      if (failure instanceof StartTreeReader.Broken e) {
        throw e;
      } else if (failure instanceof StartTreeReader.OlderFormat e) {
        throw e;
      } else if (failure instanceof StartTreeReader.NotServed e) {
        throw e;
      } else if (failure instanceof RuntimeException e) {
        throw e;
      }
      return reader;
    }
  }

  private Decoded ahead; // decodeAhead's, taken by the next read

  /**
   * Reads, verifies and walks the start tree of {@code kept}'s version now, for the next {@link
   * #read}: while history opens on its own thread, which the read waited for before (issue 16).
   * Nothing is reported or decided here; {@link #read} reports what this found.
   */
  void decodeAhead(StartInputsFile kept, ChecksumKey key) {
    long t = io.qcfg.internal.log.StartupTrace.begin();
    StartTreeReader r = null;
    Exception failure = null;
    try {
      r = StartTreeReader.decode(file(), key.derivedMac(PURPOSE), kept.version(),
          kept.checksum());
    } catch (StartTreeReader.Broken | StartTreeReader.OlderFormat | StartTreeReader.NotServed
        | RuntimeException e) {
      failure = e;
    }
    ahead = new Decoded(r, failure);
    io.qcfg.internal.log.StartupTrace.end("fast path: start tree (decoded ahead)", t);
  }

  /** The kept snapshot of {@code kept}'s version as a candidate, or null (see the class). */
  ConfigSnapshot read(StartInputsFile kept, ChecksumKey key) {
    SecretFiles[] secrets = {null};
    SecretFiles.Lookup[] lookup = {null}; // the sealed leaves come in the walk's order
    Path file = file();
    Decoded early = ahead;
    ahead = null;
    try {
      StartTreeReader decoded = early != null ? early.get() : StartTreeReader.decode(file,
          key.derivedMac(PURPOSE), kept.version(), kept.checksum());
      if (decoded == null) {
        notServed = "no start tree";
        return null;
      }
      if (!decoded.environment().equals(kept.environment())) {
        notServed = "the start tree is of another environment";
        return null;
      }
      ConfigSnapshot stored = decoded.serve(key.derivedMac(SECRETS_PURPOSE), keys -> {
        if (secrets[0] == null) {
          secrets[0] = secretLayer(); // only when a secret is sealed
          lookup[0] = secrets[0].lookup();
        }
        return lookup[0].valueAt(keys);
      });
      if (secrets[0] == null && secretsAhead != null) {
        secrets[0] = secretLayer(); // read anyway: its values (even overridden ones) are redacted
      }
      long t = io.qcfg.internal.log.StartupTrace.begin();
      // The read-ahead's values are known to the redactor once it is done; a layer read here
      // is not.
      boolean told = secrets[0] != null && secretsAhead != null;
      if (told) {
        long w = io.qcfg.internal.log.StartupTrace.begin();
        joinSecrets();
        io.qcfg.internal.log.StartupTrace.end("secrets: wait for the redactor", w);
      }
      // Told: the layer's scalars are known, so only the other secret leaves' texts are listed.
      ConfigSnapshot served = builds.fromStartTree(stored,
          secrets[0] == null || told ? null : secrets[0].merged(), told,
          told ? decoded.otherSecretLeaves() : stored.secretLeaves());
      io.qcfg.internal.log.StartupTrace.end("fast path: start tree (secrets known, fields"
          + " checked)", t);
      Log.debug("fast start: version " + kept.version() + " is read from the start tree");
      return served;
    } catch (StartTreeReader.Broken e) {
      Log.warn("QCFG-1535: " + file + " " + e.getMessage() + "; it is ignored and the snapshot is"
          + " rebuilt from history");
      notServed = "the start tree is not intact (QCFG-1535)";
    } catch (StartTreeReader.OlderFormat e) {
      Log.info("QCFG-1539: " + file + " was written by an older qcfg (" + e.getMessage() + ");"
          + " the snapshot is rebuilt from history, and the full build after it keeps a new one");
      notServed = "the start tree is an older qcfg's (QCFG-1539)";
    } catch (StartTreeReader.NotServed e) {
      notServed = "the start tree cannot serve: " + e.getMessage();
    } catch (io.qcfg.QcfgException.Invalid e) { // a bound field cannot take it: history says so
      notServed = "a bound field cannot take the start tree";
    } catch (RuntimeException e) { // never a failed start: history, or the full build, follows
      notServed = "the start tree cannot be read (" + e.getClass().getSimpleName() + ")";
    }
    return null;
  }

  /** Why the last {@link #read} gave null. */
  String notServed() {
    return notServed;
  }

  /** Keeps {@code s} (applied from a full build) as the start tree; never fails a change. */
  void write(ConfigSnapshot s, List<String> secretPatterns, ChecksumKey key) {
    try {
      if (!StartTree.keeps(s)) {
        forget(); // an older tree must not outlive its version (the reader checks it anyway)
        return;
      }
      StartTree.write(s, secretPatterns, file(), key.derivedMac(PURPOSE),
          key.derivedMac(SECRETS_PURPOSE));
    } catch (IOException | RuntimeException e) {
      forget();
      Log.warnOnce("start-tree", "QCFG-1534: cannot keep the start tree in " + file() + " ("
          + ForeignText.describe(e) + "); the next start rebuilds the snapshot from history");
    }
  }

  /** Deletes the start tree. */
  void forget() {
    try {
      Files.deleteIfExists(file());
    } catch (IOException e) {
      Log.warnOnce("start-tree", "QCFG-1534: cannot remove " + file());
    }
  }

  private Path file() {
    return state.resolve(StartTree.NAME);
  }
}
