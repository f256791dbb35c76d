/**
 * Pure helpers over Typesafe Config trees, shared by the layer stack, snapshots, validation and
 * secrets: path text ({@link io.qcfg.internal.tree.ConfigPaths}). Nothing here reads files or
 * holds state. Internal: may change at any time.
 */
package io.qcfg.internal.tree;
