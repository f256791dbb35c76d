package io.qcfg.internal.jmx;

import javax.management.ConstructorParameters;

/**
 * One value as the MBean's {@code get(path)} returns it (an open {@code CompositeData} on the
 * wire). The value is always redacted when it is, or contains, a secret.
 */
public final class ValueInfo {
  private final String path;
  private final String value;
  private final String location;
  private final String layer;
  private final boolean secret;

  /**
   * @param path the path asked for
   * @param value HOCON rendering of the leaf or subtree, secrets as {@code <redacted>}
   * @param location {@code file:line}, a file, or a layer name
   * @param layer the layer the value came from ({@code base}, {@code override}, ...)
   * @param secret whether the value is or holds a secret
   */
  @ConstructorParameters({"path", "value", "location", "layer", "secret"})
  public ValueInfo(String path, String value, String location, String layer, boolean secret) {
    this.path = path;
    this.value = value;
    this.location = location;
    this.layer = layer;
    this.secret = secret;
  }

  public String getPath() {
    return path;
  }

  public String getValue() {
    return value;
  }

  public String getLocation() {
    return location;
  }

  public String getLayer() {
    return layer;
  }

  public boolean isSecret() {
    return secret;
  }

  @Override
  public String toString() {
    return path + " = " + value + "  # " + location + " (" + layer + ")";
  }
}
