package io.qcfg.internal.crypto;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The objects of the last tree asked about that hold no {@code ENC[} text in any string below
 * them (issue 19 item 3). Every build asks whether its tree holds one; a reload's tree shares
 * every subtree no changed layer touched with the last one (the parse cache and the incremental
 * merge keep their identity), and an immutable object found free of {@code ENC[} once is free of
 * it for good, so only the objects new since the last walk are walked.
 *
 * <p>Only the last walk's objects are kept: no older tree stays reachable from here. One per
 * {@link io.qcfg.internal.Pipeline}; a caller without one makes a new one per question.
 *
 * <p>Concurrency: asked by the building thread; the set is built by one walk and published whole
 * through a volatile field, so a walk on another thread later sees a complete one.
 */
public final class EncFreeSubtrees {
  private volatile Set<ConfigObject> free = Set.of();
  private long walkedObjects; // the building thread's; for tests

  /**
   * Whether any string of {@code root} contains {@code ENC[} (every {@code ENC} value and every
   * embedded ciphertext does). Walks only objects the last question did not find free of it.
   */
  public boolean mentionsEnc(ConfigObject root) {
    Set<ConfigObject> known = free;
    Set<ConfigObject> next = Collections.newSetFromMap(new IdentityHashMap<>());
    walkedObjects = 0;
    boolean any = mentions(root, known, next);
    free = next;
    return any;
  }

  /** Whether the last question found all of {@code root} free of {@code ENC[}. */
  public boolean knownFree(ConfigObject root) {
    return free.contains(root);
  }

  /** Objects the last {@link #mentionsEnc} walked (not taken as known); for tests. */
  public long walkedObjects() {
    return walkedObjects;
  }

  // Walks on after a find, so that every free object of the tree is known next time.
  private boolean mentions(ConfigValue value, Set<ConfigObject> known, Set<ConfigObject> next) {
    if (value instanceof ConfigObject obj) {
      if (known.contains(obj)) {
        next.add(obj);
        return false;
      }
      walkedObjects++;
      boolean any = false;
      for (String k : obj.keySet()) {
        any |= mentions(obj.get(k), known, next);
      }
      if (!any) {
        next.add(obj);
      }
      return any;
    }
    if (value instanceof ConfigList list) {
      boolean any = false;
      for (ConfigValue item : list) {
        any |= mentions(item, known, next);
      }
      return any;
    }
    return value.valueType() == ConfigValueType.STRING
        && ((String) value.unwrapped()).contains(EncryptedValue.PREFIX);
  }
}
