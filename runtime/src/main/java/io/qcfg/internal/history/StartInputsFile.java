package io.qcfg.internal.history;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import io.qcfg.internal.crypto.Hmac;

/**
 * The fingerprint of the inputs that decided the active snapshot (issue 16, the fast start):
 * {@code <state>/start-inputs}, a small text file of keyed digests, never of values, closed by an
 * HMAC over everything before it. A file that is edited, truncated or written under another key
 * is {@link SealedFile.Broken} and must be ignored, never trusted.
 *
 * <p>Format, one item a line: {@code qcfg-start-inputs 3}, {@code version N}, {@code checksum
 * HEX}, {@code environment B64}, {@code roots B64...}, {@code variables B64...}, {@code
 * secret-patterns B64...}, then {@code digest B64(name) HEX [IDENTITY]} per input, and last {@code
 * mac HEX} ({@link SealedFile}). Names are base64 so that any path fits on one line. A file's
 * {@link FileIdentity#settled identity}, when there, was taken before the bytes of its digest were
 * read: a file that still has it counts as unchanged without being read. Formats 1 and 2 (no
 * identities; 1 without secret patterns) are {@link OlderFormat}.
 *
 * @param version the active version these inputs gave
 * @param checksum its checksum
 * @param environment its environment
 * @param roots the root keys of its tree (system properties below them take part in a build)
 * @param variables the environment variable names its substitutions could read ({@code *}: all
 *     allowed ones, when a template layer sees them all)
 * @param secretPatterns the secret patterns of its {@code schema.json} (whose digest is among
 *     {@code digests}): the fast start marks secrets without reading the schema
 * @param digests the keyed digest of each input, by name
 * @param identities the identity of each file input whose identity may stand for its digest, by
 *     the same name (a subset of {@code digests}' names)
 */
public record StartInputsFile(long version, String checksum, String environment,
    List<String> roots, List<String> variables, List<String> secretPatterns,
    SortedMap<String, String> digests, SortedMap<String, String> identities) {
  /** The file's name in the state directory. */
  public static final String NAME = "start-inputs";

  private static final String FORMAT = "qcfg-start-inputs ";
  private static final String MAGIC = FORMAT + "3";

  public StartInputsFile {
    roots = List.copyOf(roots);
    variables = List.copyOf(variables);
    secretPatterns = List.copyOf(secretPatterns);
    digests = new TreeMap<>(digests);
    identities = new TreeMap<>(identities);
    for (var e : identities.entrySet()) { // keeps the file one item a line
      if (!digests.containsKey(e.getKey()) || !HeadStamp.oneWord(e.getValue())) {
        throw new IllegalArgumentException("not an identity of a digested file");
      }
    }
  }

  /** An intact file of an older qcfg (formats 1 and 2): not read, and never an error. */
  public static final class OlderFormat extends Exception {
    private static final long serialVersionUID = 1L;

    OlderFormat(String format) {
      super("format " + format, null, false, false);
    }
  }

  /**
   * Reads {@code file} and checks its MAC with {@code mac}; null when it does not exist.
   *
   * @throws SealedFile.Broken when it exists but is not intact
   * @throws OlderFormat when it is intact but an older qcfg's
   */
  public static StartInputsFile read(Path file, Hmac mac) throws SealedFile.Broken, OlderFormat {
    String body = SealedFile.read(file, mac);
    if (body == null) {
      return null;
    }
    String first = body.substring(0, Math.max(0, body.indexOf('\n')));
    if (first.equals(FORMAT + "1") || first.equals(FORMAT + "2")) {
      throw new OlderFormat(first.substring(FORMAT.length()));
    }
    try {
      return parse(body);
    } catch (RuntimeException e) { // a bug of a writer that still had the key: not trusted
      throw new SealedFile.Broken("is not in the expected format");
    }
  }

  private static StartInputsFile parse(String body) {
    String[] lines = body.split("\n");
    if (!lines[0].equals(MAGIC)) {
      throw new IllegalArgumentException("magic");
    }
    Map<String, String> single = new TreeMap<>();
    List<String> roots = new ArrayList<>();
    List<String> variables = new ArrayList<>();
    List<String> patterns = null;
    SortedMap<String, String> digests = new TreeMap<>();
    SortedMap<String, String> identities = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(" ", -1);
      switch (f[0]) {
        case "version", "checksum", "environment" -> single.put(f[0], f[1]);
        case "roots" -> decodeAll(f, roots);
        case "variables" -> decodeAll(f, variables);
        case "secret-patterns" -> {
          patterns = new ArrayList<>();
          decodeAll(f, patterns);
        }
        case "digest" -> {
          String name = decode(f[1]);
          digests.put(name, f[2]);
          if (f.length == 4) {
            identities.put(name, f[3]);
          } else if (f.length != 3) {
            throw new IllegalArgumentException("line " + i);
          }
        }
        default -> throw new IllegalArgumentException("line " + i);
      }
    }
    return new StartInputsFile(Long.parseLong(single.get("version")), single.get("checksum"),
        decode(single.get("environment")), roots, variables,
        java.util.Objects.requireNonNull(patterns, "secret-patterns"), digests, identities);
  }

  /** Writes this file under {@code mac}; a crash leaves the old file or this one. */
  public void write(Path file, Hmac mac) throws IOException {
    StringBuilder b = new StringBuilder(MAGIC).append('\n');
    b.append("version ").append(version).append('\n');
    b.append("checksum ").append(checksum).append('\n');
    b.append("environment ").append(encode(environment)).append('\n');
    b.append("roots");
    roots.forEach(r -> b.append(' ').append(encode(r)));
    b.append("\nvariables");
    variables.forEach(v -> b.append(' ').append(encode(v)));
    b.append("\nsecret-patterns");
    secretPatterns.forEach(p -> b.append(' ').append(encode(p)));
    b.append('\n');
    digests.forEach((k, v) -> {
      b.append("digest ").append(encode(k)).append(' ').append(v);
      String identity = identities.get(k);
      if (identity != null) {
        b.append(' ').append(identity);
      }
      b.append('\n');
    });
    // Not synced: a torn file is merely ignored (the MAC), and the next full build writes it again.
    DurableFiles.replaceAtomically(file, SealedFile.sealed(b.toString(), mac));
  }

  private static void decodeAll(String[] fields, List<String> into) {
    for (int i = 1; i < fields.length; i++) {
      into.add(decode(fields[i]));
    }
  }

  private static String encode(String s) {
    return SealedFile.encode(s);
  }

  private static String decode(String s) {
    return SealedFile.decode(s);
  }
}
