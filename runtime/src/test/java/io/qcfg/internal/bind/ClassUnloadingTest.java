package io.qcfg.internal.bind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.internal.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 defect 5: the binder held bound classes strongly, which pinned a redeployed web
 * application's class loader, and the required paths of its unloaded classes kept rejecting
 * configurations. Now the class loader is collected and its requirements go with it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClassUnloadingTest {
  @TempDir Path tmp;

  /** A web application's class loader: defines {@link Redeployable} itself. */
  static final class WebAppLoader extends ClassLoader {
    WebAppLoader() {
      super(ClassUnloadingTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(Redeployable.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            byte[] b = in.readAllBytes();
            c = defineClass(name, b, 0, b.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return c;
      }
    }
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  @Test
  void aRedeployedApplicationsClassLoaderIsCollectedAndItsRequiredPathsStopCounting()
      throws Exception {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "web.url = \"jdbc:one\"\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(),
        "watch", "false", "jmx", "false"));
    FieldBinder binder = Engine.require().binder();
    int before = binder.liveClassCount();

    WeakReference<ClassLoader> loader = deployAndBind();
    assertThat(binder.liveClassCount()).isEqualTo(before + 1);
    Files.writeString(dir.resolve("application.conf"), "other = 1\n");
    assertThatThrownBy(Qcfg::reload)
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("web.url");

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      System.gc();
      return loader.get() == null;
    });
    assertThat(binder.liveClassCount()).isEqualTo(before);
    assertThat(Qcfg.reload().hasPath("web.url")).isFalse();
  }

  /** Loads the class in its own loader and binds it; nothing of it stays on this stack. */
  private static WeakReference<ClassLoader> deployAndBind() throws Exception {
    WebAppLoader l = new WebAppLoader();
    Class<?> c = Class.forName(Redeployable.class.getName(), true, l);
    assertThat(c).isNotSameAs(Redeployable.class);
    Qcfg.bindStatic(c);
    assertThat(c.getMethod("url").invoke(null)).isEqualTo("jdbc:one");
    return new WeakReference<>(l);
  }
}
