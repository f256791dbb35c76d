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
    final List<Method> staticProbes = new ArrayList<>(); // @HealthCheck.Probe (issue 18)
    final List<Method> instanceProbes = new ArrayList<>();
    final Object[] staticDefaults; // written once, before staticsBound is set
    final ReentrantLock staticLock = new ReentrantLock();
    final java.util.concurrent.atomic.AtomicBoolean registered =
        new java.util.concurrent.atomic.AtomicBoolean();
    long staticVersion = -1; // guarded by: staticLock
    volatile boolean staticsBound;

    ClassBinding(Class<?> type) {
      this.type = type;
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (DeclaredMarks.field(f) == null) {
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
          if (DeclaredMarks.probe(m)) {
            addProbe(c, m);
          }
          if (!DeclaredMarks.listener(m)) {
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
          && instanceListeners.isEmpty() && staticProbes.isEmpty() && instanceProbes.isEmpty();
    }

    private void addProbe(Class<?> c, Method m) {
      if (m.getParameterCount() != 0
          || (m.getReturnType() != boolean.class && m.getReturnType() != Boolean.class)) {
        Log.warnOnce("probe-signature:" + m, "QCFG-4709: @HealthCheck.Probe " + c.getName() + "."
            + m.getName() + " must take no parameter and return boolean; ignored");
        return;
      }
      try {
        m.setAccessible(true);
      } catch (RuntimeException e) {
        Log.warnOnce("probe-access:" + m, "QCFG-4709: @HealthCheck.Probe " + c.getName() + "."
            + m.getName() + " cannot be called: "
            + io.qcfg.internal.crypto.ForeignText.describe(e) + "; ignored");
        return;
      }
      if (Modifier.isStatic(m.getModifiers())) {
        if (c == type) {
          staticProbes.add(m);
        }
      } else {
        instanceProbes.add(m);
      }
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

  /**
   * A bound class, held weakly so that the binder never pins a class loader (a redeployed web
   * application's classes are collected, and their required paths stop counting).
   */
  private static final class ClassRef extends WeakReference<Class<?>> {
    private final int hash;

    ClassRef(Class<?> type, ReferenceQueue<Class<?>> queue) {
      super(type, queue);
      this.hash = System.identityHashCode(type);
    }

    @Override
    public boolean equals(Object o) {
      if (o == this) {
        return true;
      }
      Class<?> type = get();
      return type != null && o instanceof ClassRef other && other.get() == type;
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** The fields bound at one moment: an immutable input to a build (validation reads only it). */
  public record BoundFields(List<Field> fields) {
    /** No bound fields (the CLI, tests). */
    public static final BoundFields NONE = new BoundFields(List.of());

    public BoundFields {
      fields = List.copyOf(fields);
    }

    /**
     * Adds a problem for each field that cannot bind to {@code candidate}: a missing {@code
     * required} path (QCFG-5003) or a value that does not convert (QCFG-5004).
     */
    public void check(Snapshot candidate, List<Problem> problems) {
      checkFields(fields, candidate, problems);
    }
  }

  // A ClassValue keeps each binding with its class: the class holds the binding, not we the class.
  private final ClassValue<ClassBinding> bindings =
      new ClassValue<ClassBinding>() {
        @Override
        protected ClassBinding computeValue(Class<?> type) {
          return new ClassBinding(type);
        }
      };
  private final Set<ClassRef> classes = ConcurrentHashMap.newKeySet();
  private final ReferenceQueue<Class<?>> unloaded = new ReferenceQueue<>();
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
    if (cb.staticFields.isEmpty() && cb.staticListeners.isEmpty() && cb.staticProbes.isEmpty()) {
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
    if (cb.instanceFields.isEmpty() && cb.instanceListeners.isEmpty()
        && cb.instanceProbes.isEmpty()) {
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
    bound().check(candidate, problems);
  }

  /** Every field of every class bound so far and still loaded, for one build to check. */
  public BoundFields bound() {
    List<Field> out = new ArrayList<>();
    for (ClassBinding cb : liveClasses()) {
      out.addAll(cb.staticFields);
      out.addAll(cb.instanceFields);
    }
    return new BoundFields(out);
  }

  /** The bindings of the bound classes that are still loaded. */
  private List<ClassBinding> liveClasses() {
    java.lang.ref.Reference<?> r;
    while ((r = unloaded.poll()) != null) {
      classes.remove(r);
    }
    List<ClassBinding> out = new ArrayList<>();
    for (ClassRef ref : classes) {
      Class<?> type = ref.get();
      if (type != null) {
        out.add(bindings.get(type));
      }
    }
    return out;
  }

  /** Number of bound classes still loaded (for tests of class unloading). */
  public int liveClassCount() {
    return liveClasses().size();
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
      DeclaredMarks.FieldMark a = DeclaredMarks.field(f);
      String name = f.getDeclaringClass().getName() + "." + f.getName();
      if (!candidate.hasPath(a.path())) {
        if (a.required()) {
          problems.add(
              new Problem(
                  "QCFG-5003",
                  "(merged configuration)",
                  a.path(),
                  "required by field " + name + ", but missing"));
        }
        continue;
      }
      try {
        candidate.get(a.path(), f.getGenericType());
      } catch (QcfgException.WrongType e) {
        String location = candidate.origin(a.path()).map(Origin::location).orElse("(merged)");
        String msg = e.getMessage().replaceFirst("^.*?: " + java.util.regex.Pattern.quote(a.path()) + ": ", "");
        problems.add(
            new Problem("QCFG-5004", location, a.path(), "cannot bind field " + name + ": " + msg
                .replace(" [QCFG-2002]", "")));
      }
    }
  }

  /** Writes every bound field from {@code change.newSnapshot()}, then calls the listeners. */
  public void apply(ConfigChange change) {
    write((ConfigSnapshot) change.newSnapshot());
    if (change.oldSnapshot() != change.newSnapshot()) {
      notifyListeners(change, (name, t) -> { });
    }
  }

  /** Writes every bound field from {@code next} (applier thread). */
  public void write(ConfigSnapshot next) {
    expunge();
    for (ClassBinding cb : liveClasses()) {
      if (cb.staticsBound) {
        writeStatics(cb, next);
      }
    }
    for (InstanceBinding ib : instances) {
      Object target = ib.get();
      if (target != null) {
        writeInstance(ib, target, next);
      }
    }
  }

  /** One {@code @HealthCheck.Probe} method and the object it is called on (null: static). */
  public record Probe(String name, Method method, Object target) {
    /** Calls it: its boolean answer; whatever it throws comes out as is (unwrapped). */
    public boolean call() throws Throwable {
      try {
        Object r = method.invoke(target);
        return Boolean.TRUE.equals(r);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  /**
   * The {@code @HealthCheck.Probe} methods of the bound classes and live instances, now (issue 18).
   * The list holds the instances strongly: use it for one round of checks, then drop it.
   */
  public List<Probe> probes() {
    List<Probe> out = new ArrayList<>();
    for (ClassBinding cb : liveClasses()) {
      for (Method m : cb.staticProbes) {
        out.add(new Probe(m.getDeclaringClass().getName() + "." + m.getName(), m, null));
      }
    }
    for (InstanceBinding ib : instances) {
      Object target = ib.get();
      if (target != null) {
        for (Method m : ib.binding.instanceProbes) {
          out.add(new Probe(m.getDeclaringClass().getName() + "." + m.getName() + "@"
              + Integer.toHexString(System.identityHashCode(target)), m, target));
        }
      }
    }
    return out;
  }

  /** Told about each listener method that threw: its name and what it threw. */
  public interface ListenerFailure {
    void failed(String listener, Throwable t);
  }

  /**
   * Calls every {@code @OnConfigChange} method of bound classes and live instances. Whatever one
   * throws, {@code Error} included, is logged with its name and passed to {@code failures}; the
   * others still run.
   */
  public void notifyListeners(ConfigChange change, ListenerFailure failures) {
    for (ClassBinding cb : liveClasses()) {
      if (cb.staticsBound) {
        for (Method m : cb.staticListeners) {
          invoke(m, null, change, failures);
        }
      }
    }
    for (InstanceBinding ib : instances) {
      Object target = ib.get();
      if (target != null) {
        for (Method m : ib.binding.instanceListeners) {
          invoke(m, target, change, failures);
        }
      }
    }
  }

  /**
   * One {@code @OnConfigChange} method on its target ({@code null} for a static method), callable
   * from any thread. Equal when method and target are the same object (never the target's own
   * {@code equals}): a listener is one method of one live object.
   */
  public static final class ListenerMethod {
    private final Method method;
    private final Object target;

    ListenerMethod(Method method, Object target) {
      this.method = method;
      this.target = target;
    }

    /** How logs name it. */
    public String name() {
      return "@OnConfigChange " + method.getDeclaringClass().getName() + "." + method.getName();
    }

    /** Calls it; whatever the method throws comes out unwrapped. */
    public void call(ConfigChange change) throws Throwable {
      try {
        if (method.getParameterCount() == 0) {
          method.invoke(target);
        } else {
          method.invoke(target, change);
        }
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ListenerMethod m && m.method.equals(method) && m.target == target;
    }

    @Override
    public int hashCode() {
      return method.hashCode() * 31 + System.identityHashCode(target);
    }
  }

  /**
   * Every {@code @OnConfigChange} method of bound classes and live instances, in the order
   * {@link #notifyListeners} calls them: statics first, then instances.
   */
  public List<ListenerMethod> listenerMethods() {
    List<ListenerMethod> out = new ArrayList<>();
    for (ClassBinding cb : liveClasses()) {
      if (cb.staticsBound) {
        for (Method m : cb.staticListeners) {
          out.add(new ListenerMethod(m, null));
        }
      }
    }
    for (InstanceBinding ib : instances) {
      Object target = ib.get();
      if (target != null) {
        for (Method m : ib.binding.instanceListeners) {
          out.add(new ListenerMethod(m, target));
        }
      }
    }
    return out;
  }

  private ClassBinding binding(Class<?> type) {
    ClassBinding cb = bindings.get(type);
    if (cb.registered.compareAndSet(false, true)) {
      classes.add(new ClassRef(type, unloaded));
    }
    return cb;
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
    DeclaredMarks.FieldMark a = DeclaredMarks.field(f);
    Object value;
    if (s.hasPath(a.path())) {
      try {
        value = s.get(a.path(), f.getGenericType());
      } catch (QcfgException e) {
        Log.warnOnce(
            "bind:" + f,
            "QCFG-5005: cannot bind " + f.getDeclaringClass().getName() + "." + f.getName()
                + " to version " + s.version() + ": " + e.getMessage()
                + "; the field keeps its value");
        return;
      }
    } else {
      if (a.required()) {
        Log.warnOnce(
            "required:" + f,
            "QCFG-5003: " + a.path() + " is required by " + f.getDeclaringClass().getName() + "."
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

  private static void invoke(
      Method m, Object target, ConfigChange change, ListenerFailure failures) {
    String name = "@OnConfigChange " + m.getDeclaringClass().getName() + "." + m.getName();
    try {
      if (m.getParameterCount() == 0) {
        m.invoke(target);
      } else {
        m.invoke(target, change);
      }
    } catch (InvocationTargetException e) {
      Log.error("QCFG-5007: " + name + " threw; the other listeners still run", e.getCause());
      failures.failed(name, e.getCause());
    } catch (Throwable e) { // an Error in reflection itself: contained like a listener's own
      Log.error("QCFG-5007: cannot call " + name, e);
      failures.failed(name, e);
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
