package io.qcfg.internal.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the head of one history entry file (version, checksum, environment) with jackson-core's
 * streaming parser: the tree is skipped, never built, and jackson-databind is not loaded. The
 * start-up needs only this before it publishes its first snapshot (issue 16): whether the newest
 * entry equals the candidate, so that a restart on unchanged inputs keeps its version.
 *
 * <p>It accepts exactly what {@link HistoryStore} would read as an entry, except that the tree is
 * only checked to be JSON: every other field is checked for its type, and the file must hold one
 * object and nothing after it. Anything else is "no head" (the caller then reserves a new
 * version, as for an unreadable newest entry).
 */
final class HistoryHead {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Set<String> TEXT =
      Set.of("checksum", "environment", "environmentSource", "createdAt", "cause", "actor");

  private HistoryHead() {}

  /** The head of {@code file}, named for {@code versionFromName}; empty when it is not one. */
  static Optional<HistoryStore.Head> read(Path file, long versionFromName, int format) {
    return parse(file, versionFromName, format, false)
        .map(e -> new HistoryStore.Head(e.version(), e.checksum(), e.environment()));
  }

  /**
   * The whole entry in {@code file}, its tree copied token by token (numbers as exact decimals),
   * still without jackson-databind: for the fast start (issue 16). Empty when it is not one.
   */
  static Optional<HistoryEntry> readEntry(Path file, long versionFromName, int format) {
    return parse(file, versionFromName, format, true);
  }

  private static Optional<HistoryEntry> parse(Path file, long versionFromName, int format,
      boolean withTree) {
    try (JsonParser p = FACTORY.createParser(Files.readAllBytes(file))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      Map<String, String> text = new HashMap<>();
      long version = -1;
      long fileFormat = -1;
      boolean files = false;
      boolean tree = false;
      java.util.List<String> fileNames = new java.util.ArrayList<>();
      String treeText = "";
      boolean confirmed = false; // absent in files older than issue 18
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "format" -> fileFormat = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
          case "version" -> version = v == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
          case "confirmed" -> confirmed = v == JsonToken.VALUE_TRUE;
          case "files" -> {
            files = v == JsonToken.START_ARRAY;
            while (files && p.nextToken() != JsonToken.END_ARRAY) {
              files = p.currentToken() == JsonToken.VALUE_STRING;
              if (files) {
                fileNames.add(p.getText());
              }
            }
          }
          case "tree" -> {
            tree = true;
            if (withTree) {
              treeText = EntryJson.copyValue(p);
            } else {
              p.skipChildren();
            }
          }
          default -> {
            if (TEXT.contains(name) && v == JsonToken.VALUE_STRING) {
              text.put(name, p.getText());
            }
            p.skipChildren();
          }
        }
        if (!files && name.equals("files")) {
          return Optional.empty();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        return Optional.empty();
      }
      if (fileFormat != format || version != versionFromName || !files || !tree
          || !text.keySet().containsAll(TEXT)) {
        return Optional.empty();
      }
      Instant createdAt = io.qcfg.internal.text.IsoTime.parseInstant(text.get("createdAt"));
      return Optional.of(new HistoryEntry(version, text.get("checksum"), text.get("environment"),
          text.get("environmentSource"), createdAt, text.get("cause"), text.get("actor"),
          fileNames, treeText, confirmed));
    } catch (IOException | RuntimeException e) { // DateTimeParseException too
      return Optional.empty(); // HistoryStore warns when it reads the entries (QCFG-4202)
    }
  }
}
