/**
 * Pure helpers over Typesafe Config trees, shared by the layer stack, snapshots, validation and
 * secrets: path text ({@link io.qcfg.internal.tree.ConfigPaths}), walks over leaves ({@link
 * io.qcfg.internal.tree.Leaves}), origins and the layer a value came from ({@link
 * io.qcfg.internal.tree.Origins}, {@link io.qcfg.internal.tree.LayerKind}). Nothing here reads
 * files or holds state, and nothing here imports another {@code io.qcfg.internal} package.
 * Internal: may change at any time.
 */
package io.qcfg.internal.tree;
