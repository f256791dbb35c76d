package io.qcfg.internal.template;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import io.pebbletemplates.pebble.attributes.AttributeResolver;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Extension;
import io.pebbletemplates.pebble.extension.ExtensionCustomizer;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.extension.NodeVisitor;
import io.pebbletemplates.pebble.lexer.Token;
import io.pebbletemplates.pebble.node.RenderableNode;
import io.pebbletemplates.pebble.parser.Parser;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import io.pebbletemplates.pebble.tokenParser.TokenParser;
import java.io.IOException;
import java.io.Writer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * What qcfg adds to (and takes from) Pebble for one render:
 *
 * <ul>
 *   <li>{@link SandboxAttributeResolver}, the only attribute resolver (see there);
 *   <li>{@code range(start, end[, step])} (and so {@code start..end}), lazy instead of Pebble's,
 *       which builds the whole list up front ({@code range(1, 100000000)} would take gigabytes
 *       before the first line is written). Every element read counts against a per-render budget of
 *       {@link #MAX_RANGE_STEPS}, so nested loops cannot spin for hours either;
 *   <li>{@code secret('path')}: the plaintext of a secret, only when the caller allows it;
 *   <li>the {@code json} filter: a value as a JSON (and so HOCON) literal, the safe way to put an
 *       environment variable into a layer template ({@code url = {{ vars.DB_URL | json }}}).
 * </ul>
 *
 * <p>{@link Restrictions} strips Pebble's reflective attribute resolver, its eager {@code range}
 * and the {@code i18n} function (which reads resource bundles from the class path).
 *
 * <p>Concurrency: one instance per render, used by the rendering thread only.
 */
final class SandboxExtension extends AbstractExtension {
  /** How many range elements one render may read in total. */
  static final long MAX_RANGE_STEPS = 2_000_000;

  private final java.util.function.Function<String, String> secretLookup;
  private long rangeSteps;

  /**
   * @param secretLookup plaintext by path, or null when {@code secret()} is refused
   */
  SandboxExtension(java.util.function.Function<String, String> secretLookup) {
    this.secretLookup = secretLookup;
  }

  @Override
  public List<AttributeResolver> getAttributeResolver() {
    return List.of(new SandboxAttributeResolver());
  }

  @Override
  public Map<String, Function> getFunctions() {
    Map<String, Function> functions = new HashMap<>();
    functions.put("range", new RangeFunction());
    functions.put("secret", new SecretFunction());
    return functions;
  }

  @Override
  public Map<String, Filter> getFilters() {
    return Map.of("json", new JsonFilter());
  }

  private void step(PebbleTemplate self, int line) {
    if (++rangeSteps > MAX_RANGE_STEPS) {
      throw new TemplateFault(
          TemplateSandbox.ID_TOO_MANY_STEPS,
          "loops read more than " + MAX_RANGE_STEPS + " range elements; a loop that never ends?",
          self.getName(),
          line);
    }
  }

  /** {@code range(start, end, step)}: end inclusive, as Pebble's; integers only. */
  private final class RangeFunction implements Function {
    @Override
    public List<String> getArgumentNames() {
      return List.of("start", "end", "increment");
    }

    @Override
    public Object execute(
        Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
      long start = integer(args.get("start"), "start", self, line);
      long end = integer(args.get("end"), "end", self, line);
      Object inc = args.get("increment");
      long step = inc == null ? 1 : integer(inc, "increment", self, line);
      if (step == 0) {
        throw new TemplateFault(
            TemplateSandbox.ID_EVALUATION, "range() step must not be 0", self.getName(), line);
      }
      long size;
      try {
        long span = Math.subtractExact(end, start);
        size = (span != 0 && (span > 0) != (step > 0)) ? 0 : span / step + 1;
      } catch (ArithmeticException e) {
        size = Long.MAX_VALUE;
      }
      return new LazyRange(start, step, (int) Math.min(size, Integer.MAX_VALUE), self, line);
    }

    private long integer(Object value, String what, PebbleTemplate self, int line) {
      if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
        return n.longValue();
      }
      throw new TemplateFault(
          TemplateSandbox.ID_EVALUATION,
          "range() " + what + " must be a whole number",
          self.getName(),
          line);
    }
  }

  /** The elements of a range, computed on demand; each read costs one budget step. */
  private final class LazyRange extends AbstractList<Long> implements RandomAccess {
    private final long start;
    private final long step;
    private final int size;
    private final PebbleTemplate self;
    private final int line;

    LazyRange(long start, long step, int size, PebbleTemplate self, int line) {
      this.start = start;
      this.step = step;
      this.size = size;
      this.self = self;
      this.line = line;
    }

    @Override
    public Long get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException(index);
      }
      step(self, line);
      return start + index * step;
    }

    @Override
    public int size() {
      return size;
    }
  }

  private final class SecretFunction implements Function {
    @Override
    public List<String> getArgumentNames() {
      return List.of("path");
    }

    @Override
    public Object execute(
        Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
      Object path = args.get("path");
      if (!(path instanceof String p)) {
        throw new TemplateFault(
            TemplateSandbox.ID_EVALUATION,
            "secret() needs a configuration path as a string, e.g. secret('db.password')",
            self.getName(),
            line);
      }
      if (secretLookup == null) {
        throw new TemplateFault(
            TemplateSandbox.ID_SECRET_REFUSED,
            "secret('"
                + p
                + "') is refused here: only user templates rendered with"
                + " 'render --allow-secrets' may read secrets",
            self.getName(),
            line);
      }
      String value = secretLookup.apply(p);
      if (value == null) {
        throw new TemplateFault(
            TemplateSandbox.ID_SECRET_MISSING,
            "secret('" + p + "'): no secret at this path",
            self.getName(),
            line);
      }
      return value;
    }
  }

  /** A value as a JSON literal: strings quoted and escaped, maps and lists as JSON. */
  private static final class JsonFilter implements Filter {
    @Override
    public List<String> getArgumentNames() {
      return List.of();
    }

    @Override
    public Object apply(
        Object input,
        Map<String, Object> args,
        PebbleTemplate self,
        EvaluationContext context,
        int line) {
      try {
        return ConfigValueFactory.fromAnyRef(input).render(ConfigRenderOptions.concise());
      } catch (ConfigException e) {
        throw new TemplateFault(
            TemplateSandbox.ID_EVALUATION,
            "json filter: cannot render a " + input.getClass().getSimpleName() + " as JSON",
            self.getName(),
            line);
      }
    }
  }

  /**
   * Gives a loader refusal inside {@code include}/{@code embed} the line of the tag: the loader
   * itself cannot know which line asked for a template.
   */
  private static final class LocatedTag implements TokenParser {
    private final TokenParser tag;

    LocatedTag(TokenParser tag) {
      this.tag = tag;
    }

    @Override
    public String getTag() {
      return tag.getTag();
    }

    @Override
    public RenderableNode parse(Token token, Parser parser) {
      RenderableNode node = tag.parse(token, parser);
      int line = token.getLineNumber();
      return new RenderableNode() {
        @Override
        public void render(PebbleTemplateImpl self, Writer writer, EvaluationContextImpl context)
            throws IOException {
          try {
            node.render(self, writer, context);
          } catch (TemplateFault fault) {
            if (fault.getFileName() != null) {
              throw fault;
            }
            throw new TemplateFault(fault.id(), fault.reason(), self.getName(), line);
          }
        }

        @Override
        public void accept(NodeVisitor visitor) {
          node.accept(visitor);
        }
      };
    }
  }

  /**
   * Applied by Pebble to each of its built-in extensions: drops the reflective attribute resolver,
   * the eager {@code range} (replaced above) and {@code i18n}, and wraps {@code include} and {@code
   * embed} in {@link LocatedTag}.
   */
  static final class Restrictions extends ExtensionCustomizer {
    Restrictions(Extension delegate) {
      super(delegate);
    }

    @Override
    public List<AttributeResolver> getAttributeResolver() {
      return List.of();
    }

    @Override
    public List<TokenParser> getTokenParsers() {
      List<TokenParser> parsers = super.getTokenParsers();
      if (parsers == null) {
        return null;
      }
      List<TokenParser> located = new ArrayList<>(parsers.size());
      for (TokenParser parser : parsers) {
        // Only these two: Pebble recognises import/set nodes by class in child templates.
        boolean loads = parser.getTag().equals("include") || parser.getTag().equals("embed");
        located.add(loads ? new LocatedTag(parser) : parser);
      }
      return located;
    }

    @Override
    public Map<String, Function> getFunctions() {
      Map<String, Function> functions = super.getFunctions();
      if (functions == null) {
        return null;
      }
      Map<String, Function> kept = new HashMap<>(functions);
      kept.remove("range");
      kept.remove("i18n");
      return kept;
    }
  }
}
