package io.qcfg.internal.history;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import io.qcfg.internal.crypto.Hmac;

/**
 * The fingerprint of the inputs that decided the active snapshot (issue 16, the fast start):
 * {@code <state>/start-inputs}, a small text file of keyed digests, never of values, closed by an
 * HMAC over everything before it. A file that is edited, truncated or written under another key
 * is {@link Broken} and must be ignored, never trusted.
 *
 * <p>Format, one item a line: {@code qcfg-start-inputs 2}, {@code version N}, {@code checksum
 * HEX}, {@code environment B64}, {@code roots B64...}, {@code variables B64...}, {@code
 * secret-patterns B64...}, then {@code digest B64(name) HEX} per input, and last {@code mac
 * HEX}. Names are base64 so that any path
 * fits on one line. Written to a temporary sibling and moved over the old file atomically: a crash
 * leaves the old file or the new one, and the MAC catches anything else (no fsync needed: a torn
 * file is merely ignored).
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
 */
public record StartInputsFile(long version, String checksum, String environment,
    List<String> roots, List<String> variables, List<String> secretPatterns,
    SortedMap<String, String> digests) {
  /** The file's name in the state directory. */
  public static final String NAME = "start-inputs";

  private static final String MAGIC = "qcfg-start-inputs 2";

  public StartInputsFile {
    roots = List.copyOf(roots);
    variables = List.copyOf(variables);
    secretPatterns = List.copyOf(secretPatterns);
    digests = new TreeMap<>(digests);
  }

  /** The file is there but cannot be trusted: edited, truncated, or another key's. */
  public static final class Broken extends Exception {
    private static final long serialVersionUID = 1L;

    Broken(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Reads {@code file} and checks its MAC with {@code mac}; null when it does not exist.
   *
   * @throws Broken when it exists but is not intact
   */
  public static StartInputsFile read(Path file, Hmac mac) throws Broken {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new Broken("cannot be read");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int macLine = text.lastIndexOf("\nmac ");
    if (macLine < 0 || !text.endsWith("\n")) {
      throw new Broken("has no integrity line (truncated?)");
    }
    String body = text.substring(0, macLine + 1);
    String given = text.substring(macLine + 5, text.length() - 1);
    byte[] expected = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    byte[] found;
    try {
      found = HexFormat.of().parseHex(given);
    } catch (IllegalArgumentException e) {
      throw new Broken("has a malformed integrity line");
    }
    if (!MessageDigest.isEqual(expected, found)) {
      throw new Broken("does not match its integrity check (edited, or written under another key)");
    }
    try {
      return parse(body);
    } catch (RuntimeException e) { // a bug of a writer that still had the key: not trusted
      throw new Broken("is not in the expected format");
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
        case "digest" -> digests.put(decode(f[1]), f[2]);
        default -> throw new IllegalArgumentException("line " + i);
      }
    }
    return new StartInputsFile(Long.parseLong(single.get("version")), single.get("checksum"),
        decode(single.get("environment")), roots, variables,
        java.util.Objects.requireNonNull(patterns, "secret-patterns"), digests);
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
    digests.forEach((k, v) -> b.append("digest ").append(encode(k)).append(' ').append(v)
        .append('\n'));
    byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
    String tail = "mac " + HexFormat.of().formatHex(mac.doFinal(body)) + "\n";
    DurableFiles.replaceAtomically(file, concat(body, tail.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void decodeAll(String[] fields, List<String> into) {
    for (int i = 1; i < fields.length; i++) {
      into.add(decode(fields[i]));
    }
  }

  private static String encode(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        s.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String s) {
    return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
  }
}
