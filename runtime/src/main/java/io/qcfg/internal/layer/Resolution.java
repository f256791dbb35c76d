package io.qcfg.internal.layer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigResolver;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.tree.Origins;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the merged layers once, the way Typesafe Config does: {@code resolve()} on the merged
 * tree itself, so that {@code port = 8080} then {@code port = ${?PORT}}, {@code a = ${b}} over an
 * earlier {@code a}, self-references and {@code +=} work within a file and across layers.
 * Environment variables on the allow list are offered through a {@link ConfigResolver}: it is
 * asked only for a path the tree does not hold (exactly where Typesafe would look in the system
 * environment) and adds nothing to the tree.
 *
 * <p>Errors are worded by qcfg from the exception's type and origin: Typesafe's messages can carry
 * values (a concatenation error prints both sides, a bug report prints the whole resolve source,
 * secrets included), so none of their text reaches a problem except the {@code ${...}} expression.
 */
public final class Resolution {
  /** The origin description of a substituted environment variable; see Origins.originOf. */
  static final String ENV_ORIGIN = "env var (substitution)";

  // Compiled at the first failed resolve, not when the class loads (issue 16: every build
  // resolves; only a failing one words a problem).
  private static final class Expression {
    static final Pattern PATTERN = Pattern.compile("\\$\\{\\??[^{}\\s]{1,200}}");
  }

  private Resolution() {}

  /** Resolve options that offer {@code vars} (names as path expressions) and nothing else. */
  public static ConfigResolveOptions options(Map<String, String> vars) {
    return options(vars, name -> null);
  }

  /**
   * As {@link #options(Map)}; {@code replace} may hand another text for a variable (the secret
   * marker pass), null to keep its value.
   */
  static ConfigResolveOptions options(Map<String, String> vars, Function<String, String> replace) {
    return ConfigResolveOptions.defaults()
        .setUseSystemEnvironment(false)
        .appendResolver(new Variables(vars, replace));
  }

  /**
   * The allowed environment variables as a resolver. Typesafe hands it the substitution's path as
   * written ({@code ${a.b}} is {@code a.b}); inside a file included within an object the path
   * carries that object's prefix, and then (unlike Typesafe's own environment lookup, which strips
   * it) no variable matches: qcfg never guesses which part was the prefix.
   */
  private record Variables(Map<String, String> vars, Function<String, String> replace)
      implements ConfigResolver {
    @Override
    public ConfigValue lookup(String path) {
      String name;
      try {
        name = String.join(".", ConfigUtil.splitPath(path));
      } catch (ConfigException e) {
        return null;
      }
      String value = vars.get(name);
      if (value == null) {
        return null;
      }
      String other = replace.apply(name);
      return ConfigValueFactory.fromAnyRef(other != null ? other : value, ENV_ORIGIN);
    }

    @Override
    public ConfigResolver withFallback(ConfigResolver fallback) {
      return this; // the allow list is the only source of variables
    }
  }

  /**
   * Resolves {@code merged}.
   *
   * @param strictHint appended to an unresolved substitution's reason (the allow-list hint)
   * @throws QcfgException.Invalid with one problem (QCFG-1010 missing, QCFG-1011 otherwise)
   */
  public static Config resolve(Config merged, Map<String, String> vars, String strictHint) {
    try {
      return merged.resolve(options(vars));
    } catch (ConfigException e) {
      throw new QcfgException.Invalid(problem(e, strictHint));
    } catch (StackOverflowError e) {
      throw new QcfgException.Invalid(
          new Problem("QCFG-1011", "(merged configuration)", "", "substitutions nested too deep"));
    }
  }

  /** A resolve failure in qcfg's words: location from the origin, the expressions involved. */
  static Problem problem(ConfigException e, String strictHint) {
    String location =
        e.origin() == null ? "(merged configuration)" : Origins.location(e.origin());
    String msg = e.getMessage() == null ? "" : e.getMessage();
    List<String> expressions = new ArrayList<>();
    Matcher m = Expression.PATTERN.matcher(msg);
    while (m.find() && expressions.size() < 8) {
      if (!expressions.contains(m.group())) {
        expressions.add(m.group());
      }
    }
    String first = expressions.isEmpty() ? "a substitution" : expressions.get(0);
    if (e instanceof ConfigException.UnresolvedSubstitution) {
      if (msg.contains("part of a cycle")) {
        return new Problem("QCFG-1011", location, "",
            "substitution " + first + " is part of a cycle: " + String.join(" -> ", expressions)
                + " (a value that needs itself; a self-reference needs an earlier value of the"
                + " same path to build on)");
      }
      return new Problem("QCFG-1010", location, "",
          "cannot resolve substitution " + first + ": no such path in any layer"
              + " (write ${?...} to make it optional)" + (strictHint == null ? "" : strictHint));
    }
    if (e instanceof ConfigException.WrongType) {
      return new Problem("QCFG-1011", location, "",
          "values of different kinds are concatenated or merged here (an object or list with a"
              + " string or number)" + (expressions.isEmpty() ? "" : ", involving " + first));
    }
    return new Problem("QCFG-1011", location, "",
        "the substitutions cannot be resolved"
            + (expressions.isEmpty() ? "" : " (involving " + String.join(", ", expressions) + ")")
            + "; Typesafe Config reports " + e.getClass().getSimpleName());
  }
}
