/**
 * The history of applied snapshots in the state directory (option {@code state}, default {@code
 * ./.qcfg}): {@link io.qcfg.internal.history.HistoryStore} keeps one JSON file per version under
 * {@code history/}, so that versions keep rising across restarts and a start-up with an invalid
 * configuration can fall back to the last valid snapshot. {@link
 * io.qcfg.internal.history.DurableFiles} is the crash-safe write both the history and the audit log
 * use. Internal: may change at any time.
 */
package io.qcfg.internal.history;
