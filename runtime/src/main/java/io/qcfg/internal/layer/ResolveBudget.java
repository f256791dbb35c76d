package io.qcfg.internal.layer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.Origins;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bounds what a resolve can produce <em>before</em> it runs (issue 15 items 3 and 4): Typesafe's
 * resolver cannot be interrupted, and {@code x1 = ${x0}${x0}} ... {@code x40} asks it for a value
 * of 2^40 characters. For every value of the merged, unresolved tree an upper bound of its
 * resolved size (characters and leaves) is computed from its rendering: literal text plus the
 * bounds of the paths its {@code ${...}} name (a self-reference, or a cycle, counts nothing: the
 * earlier value it builds on is part of the same rendering). A bound over {@code max-value-length}
 * or a tree over {@code max-leaves} rejects the candidate, naming the value's file and line.
 *
 * <p>Cost: one walk of the tree, only when it has substitutions.
 */
final class ResolveBudget {
  // Compiled at the first substitution, not when the class loads: a build without substitutions
  // (a first start's, often) then compiles no regular expression on the applier (issue 16).
  private static final class Reference {
    static final Pattern PATTERN = Pattern.compile("\\$\\{\\??([^{}]*)}");
  }
  private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

  /** An upper bound: characters of the longest value, all characters, leaves. */
  private record Bound(long chars, long leaves) {
    Bound plus(Bound o) {
      return new Bound(sat(chars + o.chars), sat(leaves + o.leaves));
    }
  }

  private final Config tree;
  private final Map<String, String> vars;
  private final Limits limits;
  private final Map<ConfigValue, Bound> done = new IdentityHashMap<>();
  private final Map<ConfigValue, Boolean> busy = new IdentityHashMap<>();
  private final java.util.Set<String> references = new java.util.HashSet<>();

  private ResolveBudget(Config tree, Map<String, String> vars, Limits limits) {
    this.tree = tree;
    this.vars = vars;
    this.limits = limits;
  }

  /**
   * Checks {@code merged} against the limits.
   *
   * @return every path a {@code ${...}} names (as written, without {@code ?}); empty when the
   *     tree has no substitutions
   * @throws QcfgException.Invalid QCFG-1026 (a value too long) or QCFG-1027 (too many leaves)
   */
  static java.util.Set<String> check(Config merged, Map<String, String> vars, Limits limits) {
    if (merged.isResolved()) {
      return java.util.Set.of(); // nothing can grow: the parse limits already bound it
    }
    ResolveBudget budget = new ResolveBudget(merged, vars, limits);
    Bound all = budget.bound("", merged.root());
    if (all.leaves() > limits.maxLeaves()) {
      throw new QcfgException.Invalid(new Problem("QCFG-1027", "(merged configuration)", "",
          "the substitutions could make up to " + all.leaves() + " settings, over the limit of "
              + limits.maxLeaves() + " (option max-leaves)"));
    }
    return budget.references;
  }

  private Bound bound(String path, ConfigValue v) {
    Bound known = done.get(v);
    if (known != null) {
      return known;
    }
    if (busy.containsKey(v)) {
      return new Bound(0, 0); // a self-reference or cycle: counted where it started
    }
    busy.put(v, Boolean.TRUE);
    Bound b;
    try {
      b = measure(path, v);
    } finally {
      busy.remove(v);
    }
    if (b.chars() > limits.maxValueLength() && !(v instanceof ConfigObject)) {
      throw new QcfgException.Invalid(new Problem("QCFG-1026", Origins.location(v.origin()),
          path, "this value could resolve to up to " + b.chars() + " characters, over the limit"
              + " of " + limits.maxValueLength() + " (option max-value-length): substitutions"
              + " that repeat a value grow it exponentially"));
    }
    done.put(v, b);
    return b;
  }

  private Bound measure(String path, ConfigValue v) {
    ConfigValueType type;
    try {
      type = v.valueType();
    } catch (ConfigException e) {
      return unresolved(path, v);
    }
    if (type == ConfigValueType.OBJECT) {
      Bound sum = new Bound(0, 0);
      try {
        ConfigObject obj = (ConfigObject) v;
        for (String key : obj.keySet()) { // Typesafe's entrySet hashes every value deeply
          String child = path.isEmpty() ? ConfigPaths.quote(key) : path + "." + ConfigPaths.quote(key);
          sum = sum.plus(bound(child, obj.get(key)));
        }
      } catch (ConfigException e) {
        return unresolved(path, v); // an unresolved merge of objects
      }
      return new Bound(sum.chars(), Math.max(1, sum.leaves()));
    }
    if (type == ConfigValueType.LIST) {
      Bound sum = new Bound(0, 1);
      int i = 0;
      for (ConfigValue item : (ConfigList) v) {
        sum = sum.plus(bound(path + "." + i++, item));
      }
      return sum;
    }
    Object raw = v.unwrapped();
    return new Bound(raw == null ? 4 : String.valueOf(raw).length(), 1);
  }

  /** A substitution, concatenation or delayed merge: its literal text plus what it names. */
  private Bound unresolved(String path, ConfigValue v) {
    String text = v.render(CONCISE);
    Matcher m = Reference.PATTERN.matcher(text);
    long literal = text.length();
    Bound sum = new Bound(0, 1);
    while (m.find()) {
      literal -= m.group().length();
      references.add(m.group(1).trim());
      sum = sum.plus(target(m.group(1)));
    }
    return new Bound(sat(sum.chars() + literal), sat(sum.leaves() + commas(text)));
  }

  private Bound target(String expression) {
    List<String> segments;
    try {
      segments = ConfigUtil.splitPath(expression.trim());
    } catch (ConfigException e) {
      return new Bound(0, 0);
    }
    ConfigValue node = tree.root();
    StringBuilder at = new StringBuilder();
    for (String seg : segments) {
      ConfigValue next;
      try {
        if (!(node instanceof ConfigObject obj) || node.valueType() != ConfigValueType.OBJECT) {
          return bound(at.toString(), node); // the whole unresolved node: an upper bound
        }
        next = obj.get(seg);
      } catch (ConfigException e) {
        return bound(at.toString(), node);
      }
      if (next == null) {
        String value = vars.get(String.join(".", segments));
        return new Bound(value == null ? 0 : value.length(), value == null ? 0 : 1);
      }
      at.append(at.length() == 0 ? "" : ".").append(ConfigPaths.quote(seg));
      node = next;
    }
    return bound(at.toString(), node);
  }

  private static long commas(String text) {
    long k = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == ',') {
        k++;
      }
    }
    return k;
  }

  private static long sat(long x) {
    return x < 0 ? Long.MAX_VALUE : x;
  }
}
