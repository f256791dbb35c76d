package com.typesafe.config.impl;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import java.util.HashMap;
import java.util.List;

/**
 * qcfg's merge of resolved layers (issue 19): the value of {@code l0.withFallback(l1.withFallback(
 * ... .withFallback(ln)))}, computed in one walk instead of one {@code withFallback} per layer.
 *
 * <p>Why it lives in Typesafe's package: Typesafe merges two objects by copying both key sets into
 * a new map, so a small layer that touches every section of a large base copies every object of
 * the base again, once per layer (a quarter of a cold build of 10,000 leaves). Here every object
 * that more than one layer holds is built once, from all layers at once. The result must be
 * Typesafe's to the last origin: a merged object's origin is "merge of ..." only where Typesafe's
 * right-nested fold changed something, and an object keeps its own origin (and identity) where
 * the fold left it alone. That needs the fold's own rules (which object ignores fallbacks, the
 * origin merge), which Typesafe does not publish; they are package-private here. The shade plugin
 * relocates this class with Typesafe's package. {@code LayerFoldDifferentialTest} compares every
 * origin and value with Typesafe's own fold on random layered trees.
 *
 * <p>Only resolved inputs: a substitution, {@code +=} or concatenation makes Typesafe delay the
 * merge, and the caller then uses Typesafe's fold.
 *
 * <p>Concurrency: an instance is one walk's scratch space; {@link #fold} makes its own.
 */
public final class QcfgLayerFold {
  private static final int MAX_LAYERS = 62; // positions are bits of a long

  // Per depth of the walk: the values of one key in the layers that hold it, and their positions.
  private AbstractConfigValue[][] values = new AbstractConfigValue[8][];
  private int[][] positions = new int[8][];
  private final int width;
  private long unchangedBits; // of the last stack(): bit c set when the fold kept value c as is

  private QcfgLayerFold(int width) {
    this.width = width;
  }

  /**
   * Whether {@code v} hides every fallback merged under it (an object set over a non-object in
   * one file): Typesafe keeps this flag package-private.
   */
  public static boolean ignoresFallbacks(com.typesafe.config.ConfigValue v) {
    return v instanceof AbstractConfigValue a && a.ignoresFallbacks();
  }

  /**
   * The root of {@code topFirst.get(0).withFallback(topFirst.get(1).withFallback(...))}, exactly
   * as Typesafe builds it; null when an input is not resolved (then use Typesafe's fold).
   */
  public static ConfigObject fold(List<? extends ConfigObject> topFirst) {
    int n = topFirst.size();
    if (n == 0 || n > MAX_LAYERS) {
      return null;
    }
    AbstractConfigValue[] stack = new AbstractConfigValue[n];
    for (int i = 0; i < n; i++) {
      if (!(topFirst.get(i) instanceof SimpleConfigObject o)
          || o.resolveStatus() != ResolveStatus.RESOLVED) {
        return null;
      }
      stack[i] = o;
    }
    return (ConfigObject) new QcfgLayerFold(n).stack(stack, n, 0);
  }

  /**
   * The merged value of {@code v[0..m-1]} (the layers' values at one path, top first, each
   * present); sets {@link #unchangedBits}. The stack splits into runs of objects: a non-object,
   * or an object that already ignores fallbacks, ends one, and nothing below it reaches above it.
   */
  private AbstractConfigValue stack(AbstractConfigValue[] v, int m, int depth) {
    long unchanged = 0;
    AbstractConfigValue top = null;
    int s = 0;
    while (s < m) {
      if (!(v[s] instanceof AbstractConfigObject)) {
        unchanged |= 1L << s; // a resolved non-object ignores what lies below it
        if (s == 0) {
          top = v[0];
        }
        s++;
        continue;
      }
      int e = s;
      while (e < m && v[e] instanceof AbstractConfigObject o && !o.ignoresFallbacks()) {
        e++;
      }
      boolean terminated = false;
      if (e < m && v[e] instanceof AbstractConfigObject) {
        e++; // it ignores fallbacks: the run's last, kept as it is
      } else {
        terminated = e < m; // a non-object below: the last object stops taking fallbacks
      }
      AbstractConfigValue r = run(v, s, e, terminated, s == 0, depth);
      unchanged |= runUnchanged << s;
      if (s == 0) {
        top = r;
      }
      s = e;
    }
    unchangedBits = unchanged;
    return top;
  }

  private long runUnchanged; // of the last run(), bit j for position s + j

  /**
   * Objects {@code v[s..e-1]}, merged as Typesafe's {@code mergedWithObject} would from the
   * bottom up; materialised only when {@code build} (the top of the stack).
   */
  private AbstractConfigValue run(
      AbstractConfigValue[] v, int s, int e, boolean terminated, boolean build, int depth) {
    int r = e - s;
    AbstractConfigObject top = (AbstractConfigObject) v[s];
    if (r == 1) {
      runUnchanged = terminated ? 0 : 1;
      return terminated && build ? top.withFallbacksIgnored() : top;
    }
    AbstractConfigValue[] cv = scratch(depth);
    int[] cp = positions[depth];
    long changed = 0; // bit j: Typesafe's merge at position s + j made a new object
    HashMap<String, AbstractConfigValue> map = build ? new HashMap<>() : null;
    for (int a = 0; a < r; a++) {
      AbstractConfigObject oa = (AbstractConfigObject) v[s + a];
      for (String k : oa.keySet()) {
        boolean seen = false;
        for (int b = 0; b < a && !seen; b++) {
          seen = ((AbstractConfigObject) v[s + b]).get(k) != null;
        }
        if (seen) {
          continue;
        }
        int n = 0;
        long mask = 0;
        for (int b = a; b < r; b++) {
          AbstractConfigValue x = ((AbstractConfigObject) v[s + b]).get(k);
          if (x != null) {
            cv[n] = x;
            cp[n++] = b;
            mask |= 1L << b;
          }
        }
        // A key the merge below brings in that this object lacks: Typesafe's "changed".
        changed |= ~mask & (Long.highestOneBit(mask) - 1);
        AbstractConfigValue merged = cv[0];
        if (n > 1) {
          merged = stack(cv, n, depth + 1);
          cv = scratch(depth); // the recursion may have grown the scratch arrays
          cp = positions[depth];
          long u = unchangedBits;
          for (int c = 0; c < n; c++) {
            if ((u >>> c & 1) == 0) {
              changed |= 1L << cp[c]; // the child merge made a new value
            }
          }
        }
        if (map != null) {
          map.put(k, merged);
        }
      }
    }
    // Bottom-up as Typesafe's fold: the last keeps its origin; above it, a changed merge gets
    // the merged origin; whether fallbacks are ignored comes up from the last.
    AbstractConfigObject last = (AbstractConfigObject) v[e - 1];
    boolean ignores = terminated || last.ignoresFallbacks();
    long unchanged = terminated ? 0 : 1L << (r - 1);
    ConfigOrigin origin = last.origin();
    boolean belowEmpty = last.isEmpty();
    for (int j = r - 2; j >= 0; j--) {
      AbstractConfigObject o = (AbstractConfigObject) v[s + j];
      if ((changed >>> j & 1) != 0) {
        // AbstractConfigObject.mergeOrigins: an empty object's origin is left out
        if (!o.isEmpty()) {
          origin = belowEmpty ? o.origin() : SimpleConfigOrigin.mergeOrigins(o.origin(), origin);
        }
      } else {
        origin = o.origin();
        if (!ignores) {
          unchanged |= 1L << j; // Typesafe returned the object itself
        }
      }
      belowEmpty &= o.isEmpty();
    }
    runUnchanged = unchanged;
    if (!build || (unchanged & 1) != 0) {
      return top;
    }
    if ((changed & 1) == 0) {
      return top.withFallbacksIgnored(); // nothing merged in, only the flag differs
    }
    return new SimpleConfigObject(origin, map, ResolveStatus.RESOLVED, ignores);
  }

  private AbstractConfigValue[] scratch(int depth) {
    if (depth >= values.length) {
      values = java.util.Arrays.copyOf(values, depth * 2);
      positions = java.util.Arrays.copyOf(positions, depth * 2);
    }
    if (values[depth] == null) {
      values[depth] = new AbstractConfigValue[width];
      positions[depth] = new int[width];
    }
    return values[depth];
  }
}
