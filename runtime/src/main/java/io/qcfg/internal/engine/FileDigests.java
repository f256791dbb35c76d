package io.qcfg.internal.engine;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files under the configuration directory as the fast start fingerprints them ({@link
 * StartInputs#files}): the keyed digest of each, by input name ({@code file <relative path>}), and
 * the {@link io.qcfg.internal.history.FileIdentity#settled identity} of each file whose identity
 * may stand for its digest next time, taken before its bytes were read.
 *
 * @param digests the keyed digest of each file
 * @param identities the settled identity of some of them, by the same name
 * @param read how many files' bytes were read; the others' identities matched the kept ones
 */
record FileDigests(SortedMap<String, String> digests, SortedMap<String, String> identities,
    int read) {
  FileDigests {
    digests = new TreeMap<>(digests);
    identities = new TreeMap<>(identities);
  }

  /** The digests of {@code files}, or null when they are unknown. */
  static SortedMap<String, String> digestsOf(FileDigests files) {
    return files == null ? null : files.digests();
  }
}
