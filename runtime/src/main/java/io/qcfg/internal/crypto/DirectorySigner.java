package io.qcfg.internal.crypto;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.text.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs a configuration directory with Ed25519 and verifies it, so that a JVM can refuse a
 * configuration that was edited, extended, trimmed or rolled back since someone with the private
 * key signed it. Stateless; every method is safe from any thread, but two concurrent {@link #sign}
 * calls on one directory race for the signature file.
 *
 * <h2>Signed files</h2>
 *
 * Every regular file below the directory (symbolic links followed) whose relative path has no
 * segment starting with {@code .} and that either lies under {@code secrets/}, {@code migrations/}
 * or {@code templates/}, or whose name ends with {@code .conf}, {@code .conf.peb}, {@code .json} or
 * {@code .properties} (the files HOCON layers and includes read, {@code rules.conf}, {@code
 * schema.json}). Hidden entries are skipped so that editor files, {@code .git} and the {@code
 * ..data} links of a Kubernetes Secret volume do not count; the visible links of such a volume are
 * followed to their content.
 *
 * <h2>The signature file, {@code <dir>/.qcfg-signature}</h2>
 *
 * UTF-8, {@code \n} line ends:
 *
 * <pre>
 * qcfg-signature v1
 * sequence 12
 * signed-at 2025-03-01T10:15:30Z
 * file 9f86d08188...(64 hex digits) application.conf
 * file 2c26b46b68...(64 hex digits) environments/production.conf
 * signature MCowBQYDK2VwAyEA...(base64)
 * </pre>
 *
 * The {@code file} lines list SHA-256 (lower-case hex) and relative path ({@code /} separated),
 * sorted by path. {@code sequence} rises by one with every {@link #sign}: a verifier that remembers
 * the last sequence it accepted refuses an older, validly signed directory (a replay). The last
 * line is the Ed25519 signature, standard base64, over the UTF-8 bytes of every line before it
 * including their line ends.
 *
 * <h2>Key files</h2>
 *
 * PEM as OpenSSL writes it: {@code -----BEGIN PRIVATE KEY-----} around base64 PKCS#8, {@code
 * -----BEGIN PUBLIC KEY-----} around base64 X.509 SubjectPublicKeyInfo ({@code openssl genpkey
 * -algorithm ed25519} keys work). Reading also accepts the bare base64.
 *
 * <p>Message ids: QCFG-4050 not signed, 4051 malformed signature file, 4052 bad signature, 4053
 * file changed, 4054 file added, 4055 file removed, 4056 replayed older sequence, 4057 cannot read
 * a file, 4058 bad key file, 4059 file name cannot be signed, 4060 cannot write.
 */
public final class DirectorySigner {
  /** The signature file's name inside the configuration directory. */
  public static final String SIGNATURE_FILE = ".qcfg-signature";

  private static final String ALGORITHM = "Ed25519";
  private static final String HEADER = "qcfg-signature v1";
  private static final Set<String> SIGNED_DIRS = Set.of("secrets", "migrations", "templates");
  private static final List<String> SIGNED_SUFFIXES =
      List.of(".conf", ".conf.peb", ".json", ".properties");
  private static final Pattern FILE_LINE = Pattern.compile("file ([0-9a-f]{64}) (.+)");

  /**
   * What {@link #verify} found.
   *
   * @param sequence the signed sequence number, or -1 if the signature could not be trusted
   * @param signedAt when the directory was signed, or null if the signature could not be trusted
   * @param problems every problem found; empty means the directory is exactly as signed
   */
  public record Verification(long sequence, Instant signedAt, List<Problem> problems) {
    public Verification {
      problems = List.copyOf(problems);
    }

    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private DirectorySigner() {}

  /** A fresh Ed25519 key pair. */
  public static KeyPair generateKeyPair() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new QcfgException.BugOrBroken("Ed25519 is not available in this JVM", e);
    }
  }

  /**
   * Signs {@code configDir} with the next sequence number: one more than the sequence in the
   * present signature file, or 1 if there is none (or it cannot be read).
   *
   * @return the sequence number written
   * @throws QcfgException.Invalid listing every file that cannot be read or named (QCFG-4057,
   *     QCFG-4059), or if the signature file cannot be written (QCFG-4060)
   */
  public static long sign(Path configDir, PrivateKey key) {
    long sequence = previousSequence(configDir) + 1;
    sign(configDir, key, sequence, Instant.now());
    return sequence;
  }

  /**
   * Signs {@code configDir} with the given sequence number and time, replacing the signature file
   * atomically where the file system allows.
   *
   * @throws QcfgException.BadOption if {@code sequence} is below 1
   */
  public static void sign(Path configDir, PrivateKey key, long sequence, Instant signedAt) {
    if (sequence < 1) {
      throw new QcfgException.BadOption(
          "signature sequence: expected 1 or more, found " + sequence);
    }
    List<Problem> problems = new ArrayList<>();
    Map<String, String> hashes = hashFiles(configDir, problems);
    if (!problems.isEmpty()) {
      throw new QcfgException.Invalid(problems);
    }
    StringBuilder manifest =
        new StringBuilder()
            .append(HEADER)
            .append('\n')
            .append("sequence ")
            .append(sequence)
            .append('\n')
            .append("signed-at ")
            .append(signedAt.truncatedTo(ChronoUnit.SECONDS))
            .append('\n');
    hashes.forEach(
        (rel, hash) -> manifest.append("file ").append(hash).append(' ').append(rel).append('\n'));
    byte[] bytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
    String text;
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(bytes);
      text = manifest + "signature " + Base64.getEncoder().encodeToString(s.sign()) + "\n";
    } catch (GeneralSecurityException e) {
      throw new QcfgException.BadOption(
          "signing key: expected an Ed25519 private key, found " + key.getAlgorithm());
    }
    Path target = configDir.resolve(SIGNATURE_FILE);
    Path tmp = configDir.resolve(SIGNATURE_FILE + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new QcfgException.Invalid(
          new Problem(
              "QCFG-4060",
              target.toString(),
              "",
              "cannot write the signature file: " + describe(e)));
    }
  }

  /**
   * Checks {@code configDir} against its signature file.
   *
   * @param minSequence the last sequence this verifier accepted (0 if none); an older sequence is a
   *     replay (QCFG-4056), the same one is fine
   * @return every problem: not signed (4050), malformed signature file (4051), bad signature (4052,
   *     and then nothing else is checked since the manifest cannot be trusted), replay (4056), and
   *     for each file changed (4053), added (4054), removed (4055) or unreadable (4057)
   */
  public static Verification verify(Path configDir, PublicKey key, long minSequence) {
    Path sigFile = configDir.resolve(SIGNATURE_FILE);
    String where = sigFile.toString();
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(ByteBuffer.wrap(Files.readAllBytes(sigFile)))
              .toString();
    } catch (NoSuchFileException e) {
      return failed(
          new Problem(
              "QCFG-4050",
              where,
              "",
              "expected a signed configuration directory, found no signature file"));
    } catch (IOException e) {
      return failed(
          new Problem("QCFG-4051", where, "", "cannot read the signature file: " + describe(e)));
    }
    // The signature covers everything before the last line; check it before trusting any of it.
    int end = text.endsWith("\n") ? text.length() - 1 : text.length();
    int lastLineStart = text.lastIndexOf('\n', end - 1) + 1;
    String lastLine = text.substring(lastLineStart, end);
    int lineCount = (int) text.substring(0, lastLineStart).chars().filter(c -> c == '\n').count();
    if (!text.endsWith("\n") || !lastLine.startsWith("signature ") || lastLineStart == 0) {
      return failed(
          new Problem(
              "QCFG-4051",
              where + ":" + (lineCount + 1),
              "",
              "expected a last line 'signature <base64>' ending with a line break, found "
                  + (lastLine.isEmpty() ? "an empty line" : "another line")));
    }
    if (!signatureMatches(text.substring(0, lastLineStart), lastLine, key)) {
      return failed(
          new Problem(
              "QCFG-4052",
              where + ":" + (lineCount + 1),
              "",
              "expected a signature by the configured public key, found one that does not match"
                  + " (signed with another key, or the signature file was edited)"));
    }
    String[] lines = text.substring(0, lastLineStart).split("\n", -1);
    // lines[last] is the empty string after the final '\n' of the manifest.
    if (lines.length < 4 || !lines[0].equals(HEADER)) {
      return failed(malformed(where, 1, "expected '" + HEADER + "' and sequence, signed-at lines"));
    }
    long sequence;
    Instant signedAt;
    try {
      if (!lines[1].startsWith("sequence ")) {
        return failed(malformed(where, 2, "expected 'sequence <number>'"));
      }
      sequence = Long.parseLong(lines[1].substring("sequence ".length()));
      if (!lines[2].startsWith("signed-at ")) {
        return failed(malformed(where, 3, "expected 'signed-at <instant>'"));
      }
      signedAt = Instant.parse(lines[2].substring("signed-at ".length()));
    } catch (NumberFormatException | DateTimeParseException e) {
      return failed(malformed(where, 2, "expected a number after 'sequence' and an ISO instant"));
    }
    Map<String, String> signed = new TreeMap<>();
    String previous = null;
    for (int i = 3; i < lines.length - 1; i++) {
      Matcher m = FILE_LINE.matcher(lines[i]);
      if (!m.matches() || (previous != null && m.group(2).compareTo(previous) <= 0)) {
        return failed(malformed(where, i + 1, "expected 'file <sha256> <path>' in path order"));
      }
      previous = m.group(2);
      signed.put(previous, m.group(1));
    }

    List<Problem> problems = new ArrayList<>();
    if (sequence < minSequence) {
      problems.add(
          new Problem(
              "QCFG-4056",
              where,
              "",
              "expected signature sequence "
                  + minSequence
                  + " or later, found "
                  + sequence
                  + " (signed "
                  + signedAt
                  + "): an older signed configuration was put back"));
    }
    Map<String, String> actual = hashFiles(configDir, problems);
    Set<String> all = new TreeSet<>(signed.keySet());
    all.addAll(actual.keySet());
    for (String rel : all) {
      String want = signed.get(rel);
      String got = actual.get(rel);
      String loc = configDir.resolve(rel).toString();
      if (want == null && got != null) {
        problems.add(
            new Problem(
                "QCFG-4054",
                loc,
                "",
                "expected only the files signed at sequence "
                    + sequence
                    + ", found this one added"));
      } else if (want != null && got == null && !unreadable(problems, loc)) {
        problems.add(
            new Problem(
                "QCFG-4055",
                loc,
                "",
                "expected this file, signed at sequence " + sequence + ", found it removed"));
      } else if (want != null && got != null && !want.equals(got)) {
        problems.add(
            new Problem(
                "QCFG-4053",
                loc,
                "",
                "expected the content signed at sequence "
                    + sequence
                    + " (SHA-256 "
                    + want.substring(0, 12)
                    + "...), found it changed (SHA-256 "
                    + got.substring(0, 12)
                    + "...)"));
      }
    }
    return new Verification(sequence, signedAt, problems);
  }

  /** Writes {@code key} as PEM PKCS#8, readable by the owner only where the file system can. */
  public static void writePrivate(Path file, PrivateKey key) {
    writePem(file, "PRIVATE KEY", key.getEncoded(), true);
  }

  /** Writes {@code key} as PEM X.509 SubjectPublicKeyInfo. */
  public static void writePublic(Path file, PublicKey key) {
    writePem(file, "PUBLIC KEY", key.getEncoded(), false);
  }

  /**
   * Reads an Ed25519 private key (PEM PKCS#8 or its bare base64).
   *
   * @throws QcfgException.Invalid (QCFG-4058) naming the file, never its content
   */
  public static PrivateKey readPrivate(Path file) {
    byte[] der = readPem(file, "PRIVATE KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw badKey(file, "expected an Ed25519 private key (PKCS#8), found another kind of key");
    }
  }

  /**
   * Reads an Ed25519 public key (PEM X.509 or its bare base64).
   *
   * @throws QcfgException.Invalid (QCFG-4058) naming the file
   */
  public static PublicKey readPublic(Path file) {
    byte[] der = readPem(file, "PUBLIC KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw badKey(file, "expected an Ed25519 public key (X.509), found another kind of key");
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Relative path -> SHA-256 hex of every signed file; unreadable ones become problems. */
  private static Map<String, String> hashFiles(Path root, List<Problem> problems) {
    Map<String, String> out = new TreeMap<>();
    try {
      Files.walkFileTree(
          root,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return !dir.equals(root) && hidden(dir)
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              String rel = relative(root, file);
              if (!attrs.isRegularFile() || hidden(file) || !isSigned(rel)) {
                return FileVisitResult.CONTINUE;
              }
              if (rel.indexOf('\n') >= 0 || rel.indexOf('\r') >= 0) {
                problems.add(
                    new Problem(
                        "QCFG-4059",
                        file.toString(),
                        "",
                        "expected a file name without line breaks, found one with them"));
                return FileVisitResult.CONTINUE;
              }
              try {
                out.put(rel, sha256(file));
              } catch (IOException e) {
                problems.add(unreadableFile(file, e));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              // A loop of directory links is skipped; a hidden entry does not matter.
              if (!(e instanceof FileSystemLoopException) && !hidden(file)) {
                problems.add(unreadableFile(file, e));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      problems.add(unreadableFile(root, e));
    }
    return out;
  }

  private static boolean hidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  private static boolean isSigned(String rel) {
    int slash = rel.indexOf('/');
    if (slash > 0 && SIGNED_DIRS.contains(rel.substring(0, slash))) {
      return true;
    }
    for (String suffix : SIGNED_SUFFIXES) {
      if (rel.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  private static String relative(Path root, Path file) {
    List<String> parts = new ArrayList<>();
    for (Path p : root.relativize(file)) {
      parts.add(p.toString());
    }
    return String.join("/", parts);
  }

  private static String sha256(Path file) throws IOException {
    Sha256 md = Sha256.create();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static boolean signatureMatches(String manifest, String lastLine, PublicKey key) {
    try {
      byte[] sig = Base64.getDecoder().decode(lastLine.substring("signature ".length()).strip());
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(manifest.getBytes(StandardCharsets.UTF_8));
      return s.verify(sig);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // Bad base64, a signature of the wrong length, or not an Ed25519 key: no match either way.
      return false;
    }
  }

  private static long previousSequence(Path configDir) {
    try {
      for (String line : Files.readAllLines(configDir.resolve(SIGNATURE_FILE))) {
        if (line.startsWith("sequence ")) {
          return Math.max(0, Long.parseLong(line.substring("sequence ".length()).strip()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // No usable signature yet: start from 1.
    }
    return 0;
  }

  private static boolean unreadable(List<Problem> problems, String location) {
    return problems.stream()
        .anyMatch(p -> p.id().equals("QCFG-4057") && p.location().equals(location));
  }

  private static Problem unreadableFile(Path file, IOException e) {
    return new Problem("QCFG-4057", file.toString(), "", "cannot read the file: " + describe(e));
  }

  private static Problem malformed(String where, int line, String expected) {
    return new Problem(
        "QCFG-4051", where + ":" + line, "", expected + ", found something else on this line");
  }

  private static Verification failed(Problem p) {
    return new Verification(-1, null, List.of(p));
  }

  private static String describe(IOException e) {
    return ForeignText.describe(e);
  }

  private static void writePem(Path file, String type, byte[] der, boolean ownerOnly) {
    String pem =
        "-----BEGIN "
            + type
            + "-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END "
            + type
            + "-----\n";
    try {
      if (ownerOnly) {
        Files.deleteIfExists(file);
        try {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
          // Not POSIX: the file is created by writeString below with default permissions.
        }
      }
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new QcfgException.Invalid(
          new Problem(
              "QCFG-4060", file.toString(), "", "cannot write the key file: " + describe(e)));
    }
  }

  private static byte[] readPem(Path file, String type) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw badKey(file, "cannot read the key file: " + e.getClass().getSimpleName());
    }
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int b = text.indexOf(begin);
    if (b >= 0) {
      int e = text.indexOf(end, b);
      if (e < 0) {
        throw badKey(file, "expected '" + end + "', found none");
      }
      text = text.substring(b + begin.length(), e);
    } else if (text.contains("-----BEGIN ")) {
      throw badKey(file, "expected '" + begin + "', found another PEM block");
    }
    try {
      return Base64.getMimeDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw badKey(file, "expected base64 inside the PEM block, found other characters");
    }
  }

  private static QcfgException.Invalid badKey(Path file, String reason) {
    return new QcfgException.Invalid(new Problem("QCFG-4058", file.toString(), "", reason));
  }
}
