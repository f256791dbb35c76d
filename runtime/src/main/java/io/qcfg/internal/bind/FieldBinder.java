package io.qcfg.internal.bind;

import io.qcfg.ConfigChange;
import io.qcfg.ConfigValue;
import io.qcfg.OnConfigChange;
import io.qcfg.Origin;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Writes {@link ConfigValue} fields and calls {@link OnConfigChange} methods.
 *
 * <p>Bindings are registered from application threads (class initialisers, constructors, {@code
 * Qcfg.bind}); snapshots are applied from the applier thread. Concurrency: the registry is a
 * concurrent map of classes and a concurrent set of weak references to instances, so the applier
 * never holds a lock while application threads construct objects. Each binding remembers the
 * version it last wrote, under its own lock, so a constructor that read an older snapshot can
 * never overwrite a newer value the applier has just written.
 *
 * <p>Static fields are bound from the end of a class initialiser, while the class is still being
 * initialised. On JDK 18+ a reflective write to a static field from another thread waits until
 * that initialisation ends, so the applier may hold a class's lock while it waits for the
 * initialising thread: that thread therefore never waits for the lock ({@link #bindStatic} uses
 * {@code tryLock}), and it waits for the first snapshot before it takes anything.
 *
 * <p>Instances are held weakly: binding a million short-lived objects does not keep them alive.
 */
public final class FieldBinder {

  /** The bound fields and listener methods of one class (statics and instance members apart). */
  static final class ClassBinding {
    final Class<?> type;
    final List<Field> staticFields = new ArrayList<>();
    final List<Field> instanceFields = new ArrayList<>();
    final List<Method> staticListeners = new ArrayList<>();
    final List<Method> instanceListeners = new ArrayList<>();
    final Object[] staticDefaults; // written once, before staticsBound is set
    final ReentrantLock staticLock = new ReentrantLock();
    long staticVersion = -1; // guarded by: staticLock
    volatile boolean staticsBound;

    ClassBinding(Class<?> type) {
      this.type = type;
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          ConfigValue a = f.getAnnotation(ConfigValue.class);
          if (a == null) {
            continue;
          }
          if (Modifier.isStatic(f.getModifiers())) {
            if (c != type) {
              continue; // a superclass binds its own statics
            }
            if (Modifier.isFinal(f.getModifiers())) {
              Log.warnOnce(
                  "static-final:" + c.getName() + "." + f.getName(),
                  "QCFG-5001: " + c.getName() + "." + f.getName() + " is static final: a"
                      + " compile-time constant cannot be hot; remove 'final' to bind it");
              continue;
            }
            staticFields.add(f);
          } else {
            instanceFields.add(f);
          }
          trySetAccessible(f);
        }
        for (Method m : c.getDeclaredMethods()) {
          if (!m.isAnnotationPresent(OnConfigChange.class)) {
            continue;
          }
          if (m.getParameterCount() > 1
              || (m.getParameterCount() == 1 && m.getParameterTypes()[0] != ConfigChange.class)) {
            Log.warnOnce(
                "listener-signature:" + m,
                "QCFG-5002: @OnConfigChange " + c.getName() + "." + m.getName()
                    + " must take no parameter or one ConfigChange; ignored");
            continue;
          }
          if (Modifier.isStatic(m.getModifiers())) {
            if (c == type) {
              staticListeners.add(m);
            }
          } else {
            instanceListeners.add(m);
          }
          m.setAccessible(true);
        }
      }
      staticDefaults = new Object[staticFields.size()];
    }

    boolean isEmpty() {
      return staticFields.isEmpty() && instanceFields.isEmpty() && staticListeners.isEmpty()
          && instanceListeners.isEmpty();
    }
  }

  /**
   * One live instance: a weak reference, its declared defaults, and the version it holds. Equal
   * by the identity of the target, so an object bound twice (by the agent and by {@code
   * Qcfg.bind}) is registered once, with its true declared defaults; a cleared reference equals
   * only itself, which is how {@link #expunge} removes it.
   */
  static final class InstanceBinding extends WeakReference<Object> {
    final ClassBinding binding;
    final Object[] defaults;
    private final int hash;
    long version = -1; // guarded by: this

    InstanceBinding(Object target, ClassBinding binding, ReferenceQueue<Object> queue) {
      super(target, queue);
      this.binding = binding;
      this.defaults = new Object[binding.instanceFields.size()];
      this.hash = System.identityHashCode(target);
    }

    @Override
    public boolean equals(Object o) {
      if (o == this) {
        return true;
      }
      Object target = get();
      return target != null && o instanceof InstanceBinding other && other.get() == target;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private final Map<Class<?>, ClassBinding> classes = new ConcurrentHashMap<>();
  private final Set<InstanceBinding> instances = ConcurrentHashMap.newKeySet();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private final Supplier<ConfigSnapshot> current;

  /** @param current the active snapshot (blocks only until the first one exists) */
  public FieldBinder(Supplier<ConfigSnapshot> current) {
    this.current = current;
  }

  /** Binds the static fields of {@code type} to the active snapshot and keeps them bound. */
  public void bindStatic(Class<?> type) {
    ClassBinding cb = binding(type);
    if (cb.staticFields.isEmpty() && cb.staticListeners.isEmpty()) {
      return;
    }
    current.get(); // wait for the first snapshot before taking any lock
    if (!cb.staticsBound) {
      // Read outside the lock: a read may wait for the class initialiser (see class comment).
      Object[] defaults = new Object[cb.staticFields.size()];
      for (int i = 0; i < defaults.length; i++) {
        defaults[i] = read(cb.staticFields.get(i), null);
      }
      cb.staticLock.lock(); // only binding threads take it while staticsBound is false
      try {
        if (!cb.staticsBound) {
          System.arraycopy(defaults, 0, cb.staticDefaults, 0, defaults.length);
          cb.staticsBound = true;
        }
      } finally {
        cb.staticLock.unlock();
      }
    }
    // The snapshot is read after staticsBound is set, so any later publication writes these
    // statics itself. If the lock is busy, its holder is the applier writing a snapshot at
    // least as new as this one, or a binding thread whose older write the applier will
    // overwrite: either way skipping is safe, and waiting could deadlock.
    ConfigSnapshot s = current.get();
    if (cb.staticLock.tryLock()) {
      try {
        writeStaticsLocked(cb, s);
      } finally {
        cb.staticLock.unlock();
      }
    }
  }

  /**
   * Binds the instance fields of {@code target}; the object is then tracked weakly. Binding an
   * object that is already bound does nothing.
   */
  public void bindInstance(Object target) {
    if (target == null) {
      return;
    }
    ClassBinding cb = binding(target.getClass());
    if (cb.instanceFields.isEmpty() && cb.instanceListeners.isEmpty()) {
      return;
    }
    expunge();
    InstanceBinding ib = new InstanceBinding(target, cb, collected);
    for (int i = 0; i < cb.instanceFields.size(); i++) {
      ib.defaults[i] = read(cb.instanceFields.get(i), target);
    }
    if (!instances.add(ib)) {
      return; // already bound: its first binding holds the true declared defaults
    }
    writeInstance(ib, target, current.get());
  }

  /** Number of live tracked instances (after dropping collected ones). */
  public int liveInstances() {
    expunge();
    return instances.size();
  }

  /**
   * Checks that every bound field converts from {@code candidate}: a value that cannot convert
   * makes the whole candidate invalid, and a {@code required} path must be present.
   */
  public void check(Snapshot candidate, List<Problem> problems) {
    for (ClassBinding cb : classes.values()) {
      boolean liveInstances = !cb.instanceFields.isEmpty();
      checkFields(cb.staticFields, candidate, problems);
      if (liveInstances) {
        checkFields(cb.instanceFields, candidate, problems);
      }
    }
  }

  /**
   * The problems {@code type}'s static ({@code statics}) or instance fields have with {@code
   * snapshot}: missing required paths (QCFG-5003) and values that do not convert (QCFG-5004).
   * For the agent, which checks a class when it is first bound, after the active snapshot was
   * validated without it.
   */
  public List<Problem> check(Class<?> type, boolean statics, Snapshot snapshot) {
    ClassBinding cb = binding(type);
    List<Problem> problems = new ArrayList<>();
    checkFields(statics ? cb.staticFields : cb.instanceFields, snapshot, problems);
    return problems;
  }

  private static void checkFields(List<Field> fields, Snapshot candidate, List<Problem> problems) {
    for (Field f : fields) {
      ConfigValue a = f.getAnnotation(ConfigValue.class);
      String name = f.getDeclaringClass().getName() + "." + f.getName();
      if (!candidate.hasPath(a.value())) {
        if (a.required()) {
          problems.add(
              new Problem(
                  "QCFG-5003",
                  "(merged configuration)",
                  a.value(),
                  "required by field " + name + ", but missing"));
        }
        continue;
      }
      try {
        candidate.get(a.value(), f.getGenericType());
      } catch (QcfgException.WrongType e) {
        String location = candidate.origin(a.value()).map(Origin::location).orElse("(merged)");
        String msg = e.getMessage().replaceFirst("^.*?: " + java.util.regex.Pattern.quote(a.value()) + ": ", "");
        problems.add(
            new Problem("QCFG-5004", location, a.value(), "cannot bind field " + name + ": " + msg
                .replace(" [QCFG-2002]", "")));
      }
    }
  }

  /** Writes every bound field from {@code change.newSnapshot()}, then calls the listeners. */
  public void apply(ConfigChange change) {
    ConfigSnapshot next = (ConfigSnapshot) change.newSnapshot();
    expunge();
    for (ClassBinding cb : classes.values()) {
      if (cb.staticsBound) {
        writeStatics(cb, next);
      }
    }
    List<Object> live = new ArrayList<>();
    for (InstanceBinding ib : instances) {
      Object target = ib.get();
      if (target != null) {
        writeInstance(ib, target, next);
        if (!ib.binding.instanceListeners.isEmpty()) {
          live.add(target);
        }
      }
    }
    if (change.oldSnapshot() == change.newSnapshot()) {
      return; // the first snapshot: nothing changed for anybody
    }
    for (ClassBinding cb : classes.values()) {
      if (cb.staticsBound) {
        for (Method m : cb.staticListeners) {
          invoke(m, null, change);
        }
      }
    }
    for (Object target : live) {
      for (Method m : binding(target.getClass()).instanceListeners) {
        invoke(m, target, change);
      }
    }
  }

  private ClassBinding binding(Class<?> type) {
    return classes.computeIfAbsent(type, ClassBinding::new);
  }

  private void writeStatics(ClassBinding cb, ConfigSnapshot s) {
    cb.staticLock.lock();
    try {
      writeStaticsLocked(cb, s);
    } finally {
      cb.staticLock.unlock();
    }
  }

  private static void writeStaticsLocked(ClassBinding cb, ConfigSnapshot s) {
    if (s == null || s.version() <= cb.staticVersion) {
      return;
    }
    for (int i = 0; i < cb.staticFields.size(); i++) {
      write(cb.staticFields.get(i), null, s, cb.staticDefaults[i]);
    }
    cb.staticVersion = s.version();
  }

  private void writeInstance(InstanceBinding ib, Object target, ConfigSnapshot s) {
    if (s == null) {
      return;
    }
    synchronized (ib) {
      if (s.version() <= ib.version) {
        return;
      }
      List<Field> fields = ib.binding.instanceFields;
      for (int i = 0; i < fields.size(); i++) {
        write(fields.get(i), target, s, ib.defaults[i]);
      }
      ib.version = s.version();
    }
  }

  private static void write(Field f, Object target, ConfigSnapshot s, Object declaredDefault) {
    ConfigValue a = f.getAnnotation(ConfigValue.class);
    Object value;
    if (s.hasPath(a.value())) {
      try {
        value = s.get(a.value(), f.getGenericType());
      } catch (QcfgException e) {
        Log.warnOnce(
            "bind:" + f + ":" + s.version(),
            "QCFG-5005: cannot bind " + f.getDeclaringClass().getName() + "." + f.getName()
                + " to version " + s.version() + ": " + e.getMessage()
                + "; the field keeps its value");
        return;
      }
    } else {
      if (a.required()) {
        Log.warnOnce(
            "required:" + f + ":" + s.version(),
            "QCFG-5003: " + a.value() + " is required by " + f.getDeclaringClass().getName() + "."
                + f.getName() + " but missing in version " + s.version()
                + "; the field keeps its value");
        return;
      }
      value = declaredDefault;
    }
    try {
      if (value == null && f.getType().isPrimitive()) {
        return;
      }
      f.set(target, value);
    } catch (IllegalAccessException | IllegalArgumentException e) {
      Log.warnOnce(
          "access:" + f,
          "QCFG-5006: cannot write " + f.getDeclaringClass().getName() + "." + f.getName() + ": "
              + io.qcfg.internal.crypto.ForeignText.describe(e));
    }
  }

  private static Object read(Field f, Object target) {
    try {
      return f.get(target);
    } catch (IllegalAccessException | IllegalArgumentException e) {
      return null;
    }
  }

  private static void invoke(Method m, Object target, ConfigChange change) {
    try {
      if (m.getParameterCount() == 0) {
        m.invoke(target);
      } else {
        m.invoke(target, change);
      }
    } catch (InvocationTargetException e) {
      Log.error(
          "QCFG-5007: @OnConfigChange " + m.getDeclaringClass().getName() + "." + m.getName()
              + " threw; the other listeners still run",
          e.getCause());
    } catch (IllegalAccessException | RuntimeException e) {
      Log.error("QCFG-5007: cannot call @OnConfigChange " + m, e);
    }
  }

  private static void trySetAccessible(Field f) {
    try {
      f.setAccessible(true);
    } catch (RuntimeException e) {
      Log.warnOnce(
          "inaccessible:" + f,
          "QCFG-5006: cannot access " + f.getDeclaringClass().getName() + "." + f.getName()
              + " (module not open to qcfg?): " + io.qcfg.internal.crypto.ForeignText.describe(e));
    }
  }

  private void expunge() {
    java.lang.ref.Reference<?> r;
    while ((r = collected.poll()) != null) {
      instances.remove(r);
    }
  }
}
