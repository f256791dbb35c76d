package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueType;
import io.qcfg.Origin;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link Snapshot#subtree}: the object at {@code prefix} of a {@link ConfigSnapshot}, as a view.
 * Every path is resolved as {@code prefix.path} in the whole snapshot, so conversions, memoised
 * lookups, origins and secrecy are the whole snapshot's. Immutable.
 */
final class SubtreeSnapshot implements Snapshot {
  private final ConfigSnapshot whole;
  private final String prefix;

  private SubtreeSnapshot(ConfigSnapshot whole, String prefix) {
    this.whole = whole;
    this.prefix = prefix;
  }

  /** The view of the object at {@code prefix} (a full path of {@code whole}). */
  static Snapshot of(ConfigSnapshot whole, String prefix) {
    if (!whole.hasPath(prefix)) {
      throw new QcfgException.Missing("(merged configuration)", prefix);
    }
    if (whole.valueAt(prefix).valueType() != ConfigValueType.OBJECT) {
      String location = whole.origin(prefix).map(Origin::location).orElse("(merged configuration)");
      throw new QcfgException.WrongType(location, prefix, "an object (for subtree)",
          whole.isSecret(prefix) ? ConfigSnapshot.REDACTED + " (a secret)"
              : "a " + whole.valueAt(prefix).valueType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return new SubtreeSnapshot(whole, prefix);
  }

  private String full(String path) {
    return prefix + "." + path;
  }

  @Override
  public long version() {
    return whole.version();
  }

  @Override
  public String checksum() {
    return whole.checksum();
  }

  @Override
  public String environment() {
    return whole.environment();
  }

  @Override
  public String environmentSource() {
    return whole.environmentSource();
  }

  @Override
  public Instant createdAt() {
    return whole.createdAt();
  }

  @Override
  public String cause() {
    return whole.cause();
  }

  @Override
  public boolean hasPath(String path) {
    return whole.hasPath(full(path));
  }

  @Override
  public int getInt(String path) {
    return whole.getInt(full(path));
  }

  @Override
  public long getLong(String path) {
    return whole.getLong(full(path));
  }

  @Override
  public double getDouble(String path) {
    return whole.getDouble(full(path));
  }

  @Override
  public boolean getBoolean(String path) {
    return whole.getBoolean(full(path));
  }

  @Override
  public String getString(String path) {
    return whole.getString(full(path));
  }

  @Override
  public Duration getDuration(String path) {
    return whole.getDuration(full(path));
  }

  @Override
  public List<String> getStringList(String path) {
    return whole.getStringList(full(path));
  }

  @Override
  public <T> T get(String path, Class<T> type) {
    return whole.get(full(path), type);
  }

  @Override
  public Object get(String path, Type type) {
    return whole.get(full(path), type);
  }

  @Override
  public Snapshot subtree(String path) {
    return of(whole, full(path));
  }

  @Override
  public Optional<Origin> origin(String path) {
    return whole.origin(full(path));
  }

  @Override
  public Set<String> paths() {
    Set<String> out = new TreeSet<>();
    String start = prefix + ".";
    for (String p : whole.paths()) {
      if (p.startsWith(start)) {
        out.add(p.substring(start.length()));
      }
    }
    return Collections.unmodifiableSet(out);
  }

  @Override
  public boolean isSecret(String path) {
    return whole.isSecret(full(path));
  }

  @Override
  public String describe(String path) {
    return whole.describe(full(path));
  }

  @Override
  public String render(boolean json) {
    ConfigRenderOptions opts =
        json
            ? ConfigRenderOptions.concise().setFormatted(true)
            : ConfigRenderOptions.defaults().setOriginComments(false).setJson(false);
    return Canonical.redacted(whole.valueAt(prefix), prefix, whole.secretRule()).render(opts);
  }

  /** Never shows a value. */
  @Override
  public String toString() {
    return "Snapshot{subtree=" + prefix + " of " + whole + "}";
  }
}
