package app;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Loads {@link Constants} a second time through a class loader that does not delegate to the
 * system loader (as web containers and plugin hosts do) and prints both bound fields.
 */
public final class IsolatedLoaderMain {
  public static void main(String[] args) throws Exception {
    URL classes = IsolatedLoaderMain.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader isolated = new URLClassLoader("isolated", new URL[] {classes}, null)) {
      Class<?> c = Class.forName("app.Constants", true, isolated);
      var hot = c.getDeclaredField("hot");
      hot.setAccessible(true);
      System.out.println("system=" + Constants.hot + " isolated=" + hot.get(null)
          + " loaders-differ=" + (c != Constants.class));
    }
  }
}
