package io.qcfg.cli;

import io.qcfg.internal.crypto.KeyRing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qcfg keygen [--id ID] [--out FILE [--rotate]]}: AES-256 keys for {@code ENC[...]}. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Create a key ring (AES-256) for ENC[...] values.",
      "",
      "Create a key ring for ENC[...] values: one random AES-256 key, in the format the --key"
          + " option reads ('<id>:<base64>', one key per line).",
      "With --out the file is created readable by its owner only, and never overwritten. With"
          + " --rotate a new key is added at the top of an existing ring: it encrypts new values,"
          + " and the older keys still decrypt the values that name them. Comments in a rotated"
          + " file are replaced by the standard header.",
      "Without --out the ring is printed on stdout, to be stored in a secret store."
    })
final class KeygenCommand extends Verb {
  @Option(
      names = "--id",
      paramLabel = "ID",
      description =
          "The key id, written in clear into every ENC value: 1 to 64 of A-Z a-z 0-9 . _ -"
              + " (default: k and today's date, e.g. k20250301).")
  String id;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the key ring to FILE.")
  Path outFile;

  @Option(names = "--rotate", description = "Add a new primary key to the existing ring --out.")
  boolean rotate;

  @Override
  public Integer call() {
    String keyId =
        id != null
            ? id
            : "k" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
    if (outFile == null) {
      if (rotate) {
        throw CliFailure.usage(
            "QCFG-5226", "--rotate needs --out FILE, the key ring to add a key to");
      }
      out().print(KeyRing.generate(keyId).render());
      out().flush();
      err()
          .println(
              "keygen: a new key ring with key '"
                  + keyId
                  + "' is on stdout; keep it readable by its owner only and give it to qcfg with"
                  + " --key FILE or QCFG_KEY");
      return QcfgCli.OK;
    }
    if (!rotate) {
      KeyRing ring = KeyRing.generate(keyId);
      OutputFile.create(
          outFile, ring.render(), true, "use --rotate to add a new key to it, or another --out");
      out().println("wrote key ring " + outFile + " (owner-only) with key '" + keyId + "'");
      return QcfgCli.OK;
    }
    if (!Files.isRegularFile(outFile)) {
      throw CliFailure.failed(
          "QCFG-5226",
          outFile + ": no key ring to rotate; create one with 'qcfg keygen --out " + outFile + "'");
    }
    KeyRing old = KeyRing.load(outFile);
    if (old.keyIds().contains(keyId)) {
      throw CliFailure.usage(
          "QCFG-5227",
          outFile + ": key id '" + keyId + "' is already in the ring; choose another with --id");
    }
    KeyRing next = old.rotate(keyId);
    OutputFile.replace(outFile, next.render(), true);
    out()
        .println(
            "added key '"
                + keyId
                + "' to "
                + outFile
                + " as the primary key; keys now "
                + String.join(", ", next.keyIds())
                + ". Values encrypted with the older keys still decrypt; re-encrypt them, then"
                + " delete the old lines.");
    return QcfgCli.OK;
  }
}
