package io.qcfg;

import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One immutable, validated configuration: the merged and resolved tree of every layer, plus
 * version, checksum and provenance. Safe to share between threads; there is never a need for a
 * defensive copy. A new configuration is a new snapshot.
 *
 * <p>Typed getters throw {@link QcfgException.Missing} for an absent path and {@link
 * QcfgException.WrongType} for a value that does not convert, including a number outside the
 * range of the requested type ({@code 70000} as a {@code short}). A path set to an explicit
 * {@code null} gives {@code null} from getters of reference types ({@link #getString}, {@link
 * #getDuration}, {@link #get(String, Class)} of a non-primitive type) and {@link
 * QcfgException.WrongType} from getters of primitives ({@link #getInt}, {@link #getLong}, {@link
 * #getDouble}, {@link #getBoolean}).
 *
 * <p>Repeated lookups of the same path and type are served from a per-snapshot cache. Results are
 * immutable (collections are unmodifiable) and may be shared, except Java beans, which are
 * mutable: every lookup of a bean type, or of a type that contains one, builds a new instance.
 * Collection types must be declared as {@code List}, {@code Set}, {@code Collection} or {@code
 * Map}; a concrete class ({@code ArrayList}, {@code HashMap}) is refused with {@link
 * QcfgException.WrongType}.
 *
 * <p><b>Blocking.</b> No method of a snapshot blocks, waits for the qcfg thread or does I/O: a
 * snapshot is an immutable tree in memory. A lookup costs a map read; the first conversion of a
 * path to a type does the conversion (microseconds for scalars, longer for large records or
 * lists) and later lookups of that path and type return the memoised result. Only {@link
 * #render(boolean)} and {@link #describe(String)} walk a whole (sub)tree.
 *
 * <p><b>Defaults and optional values.</b> {@code getInt(path, 8080)} and the other getters with a
 * default return the default when the path is absent or set to {@code null}; a value of the wrong
 * type still throws {@link QcfgException.WrongType} (a typo in a file should not silently become
 * the default). {@link #getOptional(String, Class)} is empty in the same cases.
 *
 * <p>{@link #toString()} never shows a value; {@link #render(boolean)} shows them with secrets
 * redacted.
 */
public interface Snapshot {

  /** The version: 1 for the first snapshot, +1 for every applied change. */
  long version();

  /** SHA-256, lower-case hex, of the canonical rendering of the tree. */
  String checksum();

  /** The environment this snapshot was built for, e.g. {@code production}. */
  String environment();

  /**
   * Where the environment name came from: {@code option}, {@code QCFG_ENV}, {@code CI}, or
   * {@code default}.
   */
  String environmentSource();

  /** When this snapshot was built. */
  Instant createdAt();

  /** Why it was built: {@code startup}, {@code file-change: ...}, {@code override}, ... */
  String cause();

  boolean hasPath(String path);

  int getInt(String path);

  long getLong(String path);

  double getDouble(String path);

  boolean getBoolean(String path);

  String getString(String path);

  Duration getDuration(String path);

  List<String> getStringList(String path);

  /**
   * The value at {@code path} converted to {@code type}: any type a {@link ConfigValue} field may
   * have (records, beans, enums, lists, maps, scalars).
   */
  <T> T get(String path, Class<T> type);

  /** As {@link #get(String, Class)}, for generic types such as {@code List<Integer>}. */
  Object get(String path, Type type);

  /**
   * As {@link #get(String, Type)}, typed through a {@link TypeRef}: {@code get("ports", new
   * TypeRef<List<Integer>>() {})}.
   */
  @SuppressWarnings("unchecked")
  default <T> T get(String path, TypeRef<T> type) {
    return (T) get(path, type.type());
  }

  /**
   * The list at {@code path} with every element converted to {@code element} (any type a {@link
   * ConfigValue} field may have: boxed primitives, {@code String}, {@code Duration}, enums, records,
   * beans). Unmodifiable.
   */
  default <E> List<E> getList(String path, Class<E> element) {
    return get(path, TypeRef.listOf(element));
  }

  /**
   * The object at {@code path} as a map from its keys to values converted to {@code value}.
   * Unmodifiable.
   */
  default <V> java.util.Map<String, V> getMap(String path, Class<V> value) {
    return get(path, TypeRef.mapOf(value));
  }

  /** {@link #getInt(String)}, or {@code defaultValue} when the path is absent or null. */
  default int getInt(String path, int defaultValue) {
    return hasPath(path) ? getInt(path) : defaultValue;
  }

  /** {@link #getLong(String)}, or {@code defaultValue} when the path is absent or null. */
  default long getLong(String path, long defaultValue) {
    return hasPath(path) ? getLong(path) : defaultValue;
  }

  /** {@link #getDouble(String)}, or {@code defaultValue} when the path is absent or null. */
  default double getDouble(String path, double defaultValue) {
    return hasPath(path) ? getDouble(path) : defaultValue;
  }

  /** {@link #getBoolean(String)}, or {@code defaultValue} when the path is absent or null. */
  default boolean getBoolean(String path, boolean defaultValue) {
    return hasPath(path) ? getBoolean(path) : defaultValue;
  }

  /** {@link #getString(String)}, or {@code defaultValue} when the path is absent or null. */
  default String getString(String path, String defaultValue) {
    return hasPath(path) ? getString(path) : defaultValue;
  }

  /** {@link #getDuration(String)}, or {@code defaultValue} when the path is absent or null. */
  default Duration getDuration(String path, Duration defaultValue) {
    return hasPath(path) ? getDuration(path) : defaultValue;
  }

  /**
   * The value at {@code path} converted to {@code type}, or empty when the path is absent or null.
   *
   * @throws QcfgException.WrongType if the value is there but does not convert
   */
  default <T> Optional<T> getOptional(String path, Class<T> type) {
    return hasPath(path) ? Optional.ofNullable(get(path, type)) : Optional.empty();
  }

  /** As {@link #getOptional(String, Class)}, for a generic type. */
  default <T> Optional<T> getOptional(String path, TypeRef<T> type) {
    return hasPath(path) ? Optional.ofNullable(get(path, type)) : Optional.empty();
  }

  /**
   * The object at {@code path} as a snapshot of its own: {@code subtree("db").getInt("pool-size")}
   * reads {@code db.pool-size}. Paths, origins, secrecy and rendering are relative to it; {@link
   * #version()}, {@link #checksum()}, {@link #environment()}, {@link #createdAt()} and {@link
   * #cause()} are those of the whole snapshot. A view: no copy of the tree is made.
   *
   * @throws QcfgException.Missing if there is no such path
   * @throws QcfgException.WrongType if the value at {@code path} is not an object
   */
  Snapshot subtree(String path);

  /** Where the value at {@code path} came from; empty if there is no such path. */
  Optional<Origin> origin(String path);

  /** Every leaf path, sorted. */
  Set<String> paths();

  /** Whether the value at {@code path} (or a value below it) is a secret and must be redacted. */
  boolean isSecret(String path);

  /**
   * The value at {@code path} as text for people: the HOCON rendering of a leaf or subtree, with
   * every secret replaced by {@code <redacted>}.
   */
  String describe(String path);

  /**
   * The whole tree as HOCON ({@code json == false}) or JSON text, keys sorted, secrets redacted.
   */
  String render(boolean json);
}
