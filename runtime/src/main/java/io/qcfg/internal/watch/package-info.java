/**
 * Noticing that the configuration directory changed, so that the engine can reload it.
 *
 * <p>{@link io.qcfg.internal.watch.DirectoryWatcher} is the entry point; {@link
 * io.qcfg.internal.watch.WatchMode} parses the {@code watch} option. The watcher only says
 * <em>that</em> something may have changed and roughly where; it never reads layers and never
 * decides whether content really differs: the engine compares checksums and ignores identical
 * content, so a spurious callback costs one cheap comparison while a missed one costs a stale
 * configuration. Every design choice here leans towards firing.
 */
package io.qcfg.internal.watch;
