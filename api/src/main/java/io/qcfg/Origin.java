package io.qcfg;

/**
 * Where a configuration value came from.
 *
 * @param layer the layer name: {@code defaults}, {@code base}, {@code environment}, {@code
 *     local}, {@code secrets}, {@code override}, {@code system-properties}, {@code
 *     environment-variables}
 * @param file the file it was read from, as a path relative to the working directory where
 *     possible, or null for layers without files
 * @param line the 1-based line in {@code file}, or -1 when unknown
 */
public record Origin(String layer, String file, int line) {

  /** {@code file:line}, {@code file}, or {@code layer} when there is no file. */
  public String location() {
    if (file == null) {
      return layer;
    }
    return line > 0 ? file + ":" + line : file;
  }

  @Override
  public String toString() {
    return location() + " (" + layer + ")";
  }
}
