package io.qcfg.cli;

import io.qcfg.internal.crypto.DirectorySigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qcfg sign --dir D --key PRIVATE.key} signs a configuration directory (Ed25519); {@code
 * qcfg sign --keygen --out PREFIX} creates the key pair.
 */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Sign --dir with an Ed25519 private key (--key), or create a key pair (--keygen).",
      "",
      "Sign the configuration directory --dir with an Ed25519 private key: here --key FILE names"
          + " that key (PEM). Writes <dir>/.qcfg-signature listing the SHA-256 of every layer,"
          + " schema, rule, migration, template and secret file, with a sequence number one above"
          + " the previous signature's. Check it with 'qcfg verify-signature'.",
      "With --keygen: create a key pair PREFIX.key (private, owner-only; keep it off the servers)"
          + " and PREFIX.pub (public, for the JVMs that verify). Existing files are never"
          + " overwritten."
    })
final class SignCommand extends Verb {
  @Option(names = "--keygen", description = "Create a key pair instead of signing.")
  boolean keygen;

  @Option(
      names = "--out",
      paramLabel = "PREFIX",
      description = "With --keygen: write PREFIX.key and PREFIX.pub.")
  String prefix;

  @Override
  public Integer call() {
    return keygen ? keygen() : sign();
  }

  private int keygen() {
    if (prefix == null || prefix.isBlank()) {
      throw CliFailure.usage("QCFG-5238", "--keygen needs --out PREFIX for PREFIX.key, PREFIX.pub");
    }
    if (cli().key != null) {
      throw CliFailure.usage(
          "QCFG-5238",
          "--keygen creates a key pair and takes no --key; sign with --key afterwards");
    }
    Path privateKey = path(prefix + ".key", "--out");
    Path publicKey = path(prefix + ".pub", "--out");
    for (Path p : new Path[] {privateKey, publicKey}) {
      if (Files.exists(p)) {
        throw CliFailure.failed(
            "QCFG-5240",
            p + ": already exists; choose another --out PREFIX or delete the old pair");
      }
    }
    try {
      Path parent = privateKey.toAbsolutePath().getParent();
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw CliFailure.failed(
          "QCFG-5224", privateKey + ": cannot write: " + e.getClass().getSimpleName());
    }
    KeyPair pair = DirectorySigner.generateKeyPair();
    DirectorySigner.writePrivate(privateKey, pair.getPrivate());
    DirectorySigner.writePublic(publicKey, pair.getPublic());
    out().println("wrote " + privateKey + " (private, owner-only: keep it off the servers)");
    out().println("wrote " + publicKey + " (public: for the JVMs that verify the signature)");
    return QcfgCli.OK;
  }

  private int sign() {
    if (prefix != null) {
      throw CliFailure.usage("QCFG-5238", "--out applies to --keygen only");
    }
    if (cli().key == null) {
      throw CliFailure.usage(
          "QCFG-5239",
          "sign needs --key FILE, the Ed25519 private key (create a pair with 'qcfg sign --keygen"
              + " --out PREFIX')");
    }
    Path dir = cli().options().dir();
    OfflineConfig.requireDirectory(dir);
    long sequence =
        DirectorySigner.sign(dir, DirectorySigner.readPrivate(path(cli().key, "--key")));
    Path signature = dir.resolve(DirectorySigner.SIGNATURE_FILE);
    out()
        .println(
            "signed "
                + dir
                + ": sequence "
                + sequence
                + ", "
                + signedFiles(signature)
                + " files; signature in "
                + signature);
    return QcfgCli.OK;
  }

  private static long signedFiles(Path signature) {
    try (var lines = Files.lines(signature)) {
      return lines.filter(l -> l.startsWith("file ")).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }

  private static Path path(String value, String option) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw CliFailure.usage("QCFG-5238", option + ": not a file name: " + e.getReason());
    }
  }
}
