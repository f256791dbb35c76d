package io.qcfg.internal.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.qcfg.internal.tree.ConfigPaths;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The tree of a history entry, parsed once, before the engine reserves a version for it, within
 * the limits under which the entry file can be read back: every applied version must be in
 * history, so a tree history cannot hold is rejected instead of applied (QCFG-1515).
 *
 * <p>The limits are Jackson's default {@link StreamReadConstraints}, under which history reads
 * entry files back (nesting depth 1,000, strings of 20 M characters, numbers of 1,000 digits,
 * keys of 50,000 characters), with the nesting depth one less: the entry object holds the tree.
 * The check is a streaming scan with jackson-core (no tree, no jackson-databind: it runs before
 * the first snapshot is published, on the start-up path), skipped for a candidate's tree that
 * {@link ReadLimitsScan} proves well within the limits (every ordinary one); {@link HistoryStore}
 * builds the tree after the version is published.
 */
public final class EntryTree {
  private static final Limits DEFAULT_LIMITS = new Limits(StreamReadConstraints.defaults());

  // The seam for tests (tiny limits instead of a 20 MB tree); Jackson's defaults in production.
  private static volatile Limits limits = DEFAULT_LIMITS;

  private final String json;

  private EntryTree(String json) {
    this.json = json;
  }

  private static JsonFactory factory(StreamReadConstraints limits) {
    return JsonFactory.builder().streamReadConstraints(limits).build();
  }

  /** The JSON text this tree was parsed from. */
  public String json() {
    return json;
  }

  /**
   * Parses {@code json} as history will keep it.
   *
   * @throws CannotHold when history could not read the entry back, naming the path where it fails
   */
  public static EntryTree parse(String json) throws CannotHold {
    return parse(json, limits.factory());
  }

  /**
   * Parses the tree history will keep for {@code candidate}.
   *
   * @param dir where a problem is located when the failing path has no origin
   * @throws io.qcfg.QcfgException.Invalid (QCFG-1515, with the file, line and path where it fails)
   *     when history could not read the entry back
   */
  public static EntryTree of(io.qcfg.internal.snapshot.ConfigSnapshot candidate, String dir) {
    String json = candidate.sealedJson();
    Limits l = limits;
    if (ReadLimitsScan.within(json, l.tree)) {
      return new EntryTree(json); // proven to fit: no jackson-core before the publish
    }
    try {
      return parse(json, l.factory());
    } catch (CannotHold e) {
      String location = candidate.origin(e.path()).map(io.qcfg.Origin::location).orElse(dir);
      throw new io.qcfg.QcfgException.Invalid(new io.qcfg.Problem("QCFG-1515", location,
          shortened(e.path()), e.getMessage()));
    }
  }

  // A path thousands of segments deep would make a message no one reads: its start and length.
  private static String shortened(String path) {
    if (path.length() <= 200) {
      return path;
    }
    return path.substring(0, 120) + "... (" + ConfigPaths.segments(path).size() + " segments)";
  }

  /** As {@link #parse(String)} under other entry limits. */
  static EntryTree parse(String json, StreamReadConstraints entryLimits) throws CannotHold {
    return parse(json, new Limits(entryLimits).factory());
  }

  /** Test seam: {@link #parse(String)} checks {@code entryLimits} from now on; null: defaults. */
  static void useLimits(StreamReadConstraints entryLimits) {
    limits = entryLimits == null ? DEFAULT_LIMITS : new Limits(entryLimits);
  }

  /**
   * The limits a tree is checked under (the entry's less one level of nesting) and the parser
   * factory for them, made on first use: a first start whose tree {@link ReadLimitsScan} proves
   * within them loads no jackson-core before it publishes (issue 16).
   */
  private static final class Limits {
    final StreamReadConstraints tree;
    private volatile JsonFactory factory;

    Limits(StreamReadConstraints entry) {
      this.tree = treeLimits(entry);
    }

    JsonFactory factory() {
      JsonFactory f = factory;
      if (f == null) { // two threads racing make two equal factories: harmless
        f = EntryTree.factory(tree);
        factory = f;
      }
      return f;
    }
  }

  private static EntryTree parse(String json, JsonFactory factory) throws CannotHold {
    JsonParser parser = null;
    try {
      parser = factory.createParser(json);
      if (parser.nextToken() == null) {
        throw new CannotHold("", "tree is empty");
      }
      // Every token, every value read as reading the file back would (skipping would not check
      // a string's or a number's length): depth, names, strings and numbers meet the limits.
      int depth = 0;
      for (JsonToken t = parser.currentToken(); t != null; t = parser.nextToken()) {
        switch (t) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case VALUE_STRING -> parser.getText();
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
          default -> { }
        }
        if (depth == 0 && parser.nextToken() != null) {
          throw new CannotHold("", "tree is not JSON"); // trailing tokens
        }
        if (depth == 0) {
          break;
        }
      }
      return new EntryTree(json);
    } catch (StreamConstraintsException e) {
      StreamReadConstraints limits = factory.streamReadConstraints();
      throw new CannotHold(pathAt(parser), overLimit(e, limits));
    } catch (JsonProcessingException e) {
      throw new CannotHold(pathAt(parser), "tree is not JSON");
    } catch (IOException e) {
      throw new CannotHold("", "tree is not JSON"); // a String has no I/O
    } finally {
      if (parser != null) {
        try {
          parser.close();
        } catch (IOException ignored) {
          // a parser over a String
        }
      }
    }
  }

  /** Entry limits less one level of nesting, which the entry object itself takes. */
  private static StreamReadConstraints treeLimits(StreamReadConstraints entry) {
    return entry.rebuild().maxNestingDepth(Math.max(0, entry.getMaxNestingDepth() - 1)).build();
  }

  // qcfg's wording for the limit Jackson names (its text never reaches users).
  private static String overLimit(StreamConstraintsException e, StreamReadConstraints c) {
    String m = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT);
    String what;
    if (m.contains("nesting depth")) {
      what = "it nests deeper than history can keep (" + c.getMaxNestingDepth() + " levels)";
    } else if (m.contains("string value length")) {
      what = "a value is longer than history can keep (" + c.getMaxStringLength() + " characters)";
    } else if (m.contains("number value length")) {
      what = "a number is longer than history can keep (" + c.getMaxNumberLength() + " digits)";
    } else if (m.contains("name length")) {
      what = "a key is longer than history can keep (" + c.getMaxNameLength() + " characters)";
    } else {
      what = "it is larger than history can keep";
    }
    return what + "; every applied version must be in history, so it is not applied";
  }

  /** The path text where the parser stopped; lists are leaves, so a list element names its list. */
  private static String pathAt(JsonParser parser) {
    JsonStreamContext c = parser == null ? null : parser.getParsingContext();
    Deque<String> segments = new ArrayDeque<>();
    for (; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        segments.clear(); // everything collected so far is inside a list element
      } else if (c.getCurrentName() != null) {
        segments.addFirst(ConfigPaths.quote(c.getCurrentName()));
      }
    }
    return String.join(".", segments);
  }

  /** A tree history cannot hold: the path where reading it back fails, and why (qcfg's words). */
  public static final class CannotHold extends Exception {
    private static final long serialVersionUID = 1L;
    private final String path;

    CannotHold(String path, String reason) {
      super(reason, null, false, false);
      this.path = path;
    }

    /** Path text ({@code a.b."c.d"}) where reading fails; "" for the whole tree. */
    public String path() {
      return path;
    }
  }
}
