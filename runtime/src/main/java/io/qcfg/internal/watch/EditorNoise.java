package io.qcfg.internal.watch;

/**
 * File names that editors create and remove around a save, which can never hold a layer: vim swap
 * files and its write probe, backup copies, IntelliJ's safe-write copies, Emacs lock and autosave
 * files, and {@code *.tmp}. Ignoring them only saves callbacks: when an editor renames such a file
 * onto a real name, the real name gets its own event.
 *
 * <p>Ignored: names ending in {@code ~}, {@code .swp}, {@code .swo}, {@code .swx}, {@code .tmp},
 * {@code ___jb_tmp___} or {@code ___jb_old___}; the name {@code 4913}; names starting with {@code
 * .#}; names of the form {@code #...#}. A secrets file whose key ends in {@code .tmp} would
 * therefore not be watched; that is the documented price of not reloading on every editor probe.
 */
public final class EditorNoise {
  private EditorNoise() {}

  /** Whether {@code fileName} (a single name, not a path) is editor noise. */
  public static boolean matches(String fileName) {
    return fileName.endsWith("~")
        || fileName.endsWith(".swp")
        || fileName.endsWith(".swo")
        || fileName.endsWith(".swx")
        || fileName.endsWith(".tmp")
        || fileName.endsWith("___jb_tmp___")
        || fileName.endsWith("___jb_old___")
        || fileName.equals("4913")
        || fileName.startsWith(".#")
        || (fileName.length() > 1 && fileName.startsWith("#") && fileName.endsWith("#"));
  }

  /**
   * Whether {@code fileName} is a Kubernetes volume internal ({@code ..data}, {@code ..data_tmp},
   * {@code ..2026_01_01_00_00_00.123}): an event on it means every file of its directory may now
   * resolve to new content.
   */
  static boolean isVolumeInternal(String fileName) {
    return fileName.startsWith("..");
  }
}
