package io.qcfg.internal.tree;

/** The layers of DESIGN.md, lowest precedence first. */
public enum LayerKind {
  DEFAULTS("defaults"),
  BASE("base"),
  ENVIRONMENT("environment"),
  LOCAL("local"),
  /** Layer files kept in etcd (option etcd), for fleets. */
  ETCD("etcd"),
  SECRETS("secrets"),
  OVERRIDE("override"),
  SYSTEM_PROPERTIES("system-properties"),
  ENVIRONMENT_VARIABLES("environment-variables"),
  /** Not a layer of the stack: a tree re-applied from history (rollback, start-up fallback). */
  HISTORY("history");

  private final String label;

  LayerKind(String label) {
    this.label = label;
  }

  /** The name users see in origins, {@code print --origins} and diffs. */
  public String label() {
    return label;
  }
}
