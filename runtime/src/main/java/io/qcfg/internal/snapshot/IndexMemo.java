package io.qcfg.internal.snapshot;

import io.qcfg.internal.crypto.ChecksumKey;

/**
 * What one walk leaves for the next: per object of the tree, its canonical text, org.json form
 * and leaves, under the object itself (by identity). A later walk that meets the same object at
 * the same place takes them instead of walking it again (issue 19 item 3): an unchanged subtree
 * keeps its identity through the layers' parse cache and the incremental merge. Valid only for
 * the same checksum key, the same secret rule (its inputs, compared by value) and the same
 * wish for org.json values.
 */
public final class IndexMemo {
  final IndexNode root;
  private final ChecksumKey key;
  private final boolean json;
  private final Object secretRule;

  IndexMemo(IndexNode root, ChecksumKey key, boolean json, Object secretRule) {
    this.root = root;
    this.key = key;
    this.json = json;
    this.secretRule = secretRule;
  }

  boolean fits(ChecksumKey otherKey, boolean otherJson, Object otherRule) {
    return key.sameKey(otherKey) && json == otherJson && secretRule.equals(otherRule);
  }
}
