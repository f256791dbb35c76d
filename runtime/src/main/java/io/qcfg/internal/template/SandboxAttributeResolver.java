package io.qcfg.internal.template;

import io.pebbletemplates.pebble.attributes.AttributeResolver;
import io.pebbletemplates.pebble.attributes.ResolvedAttribute;
import io.pebbletemplates.pebble.node.ArgumentsNode;
import io.pebbletemplates.pebble.node.ForNode;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.MacroAttributeProvider;
import java.util.List;
import java.util.Map;

/**
 * The only way a qcfg template reads an attribute ({@code a.b}, {@code a['b']}, {@code a[0]}).
 * Pebble's own resolver reflects on any object: public fields (so {@code (1).TYPE} yields {@code
 * int.class}) and public methods ({@code x.getClass()}). The sandbox removes that resolver and
 * installs this one, which knows maps, lists, map entries, the {@code loop} variable and imported
 * macros, and refuses everything else. Templates only ever see maps, lists, strings, numbers and
 * booleans, so nothing useful is lost.
 *
 * <p>A missing map key or list index returns {@code null}: Pebble then raises its
 * undefined-attribute error (strict variables), which {@code default} and {@code is defined} know
 * how to handle.
 */
final class SandboxAttributeResolver implements AttributeResolver {

  @Override
  public ResolvedAttribute resolve(
      Object instance,
      Object attributeNameValue,
      Object[] argumentValues,
      ArgumentsNode args,
      EvaluationContextImpl context,
      String filename,
      int lineNumber) {
    String name = String.valueOf(attributeNameValue);
    if (instance instanceof MacroAttributeProvider macros) {
      // {% import "macros.peb" as m %} ... {{ m.field(...) }}
      return new ResolvedAttribute(macros.macro(context, name, args, false, lineNumber));
    }
    if (argumentValues != null) {
      throw new TemplateFault(
          TemplateSandbox.ID_FORBIDDEN,
          "'." + name + "(...)' is refused: templates may not call methods",
          filename,
          lineNumber);
    }
    if (instance instanceof Map<?, ?> map) {
      return fromMap(map, attributeNameValue, name);
    }
    if (instance instanceof List<?> list) {
      return fromList(list, name);
    }
    if (instance instanceof Map.Entry<?, ?> entry) {
      switch (name) {
        case "key":
          return new ResolvedAttribute(entry.getKey());
        case "value":
          return new ResolvedAttribute(entry.getValue());
        default:
          return null;
      }
    }
    if (instance instanceof ForNode.LoopVariables loop) {
      return fromLoop(loop, name);
    }
    throw new TemplateFault(
        TemplateSandbox.ID_FORBIDDEN,
        "'."
            + name
            + "' of a "
            + typeName(instance)
            + " is refused: only maps and lists have attributes in templates",
        filename,
        lineNumber);
  }

  private static ResolvedAttribute fromMap(Map<?, ?> map, Object key, String name) {
    for (Object k : new Object[] {key, name}) {
      Object value = map.get(k);
      if (value != null || containsKey(map, k)) {
        return new ResolvedAttribute(value);
      }
    }
    return null;
  }

  private static boolean containsKey(Map<?, ?> map, Object key) {
    try {
      return map.containsKey(key);
    } catch (UnsupportedOperationException | ClassCastException e) {
      return false; // Pebble's _context map answers get() only
    }
  }

  private static ResolvedAttribute fromList(List<?> list, String name) {
    int index;
    try {
      index = Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return null;
    }
    return index >= 0 && index < list.size() ? new ResolvedAttribute(list.get(index)) : null;
  }

  private static ResolvedAttribute fromLoop(ForNode.LoopVariables loop, String name) {
    switch (name) {
      case "index":
        return new ResolvedAttribute(loop.getIndex());
      case "first":
        return new ResolvedAttribute(loop.isFirst());
      case "last":
        return new ResolvedAttribute(loop.isLast());
      case "length":
        return new ResolvedAttribute(loop.getLength());
      case "revindex":
        return new ResolvedAttribute(loop.getRevindex());
      default:
        return null;
    }
  }

  /** A short name for error text; never the value itself, which might be a secret. */
  private static String typeName(Object instance) {
    if (instance instanceof CharSequence) {
      return "string";
    }
    if (instance instanceof Number) {
      return "number";
    }
    if (instance instanceof Boolean) {
      return "boolean";
    }
    return instance.getClass().getSimpleName();
  }
}
