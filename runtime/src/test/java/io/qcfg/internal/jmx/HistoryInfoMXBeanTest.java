package io.qcfg.internal.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.ConstructorParameters;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HistoryInfo} over JMX as an MXBean client reads it (issue 18): the {@code confirmed} flag
 * travels, and a JVM from before the flag existed (five items) reads as not confirmed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HistoryInfoMXBeanTest {
  /** What the CLI's proxy sees. */
  public interface NewMXBean {
    List<HistoryInfo> history();
  }

  /** What an older JVM served: the same operation, without the flag. */
  public interface OldMXBean {
    List<OldInfo> history();
  }

  /** HistoryInfo before issue 18's item. */
  public static final class OldInfo {
    private final long version;

    @ConstructorParameters({"version", "checksum", "environment", "createdAt", "cause"})
    public OldInfo(long version, String checksum, String environment, String createdAt,
        String cause) {
      this.version = version;
    }

    public long getVersion() {
      return version;
    }

    public String getChecksum() {
      return "ab";
    }

    public String getEnvironment() {
      return "production";
    }

    public String getCreatedAt() {
      return "2026-01-01T00:00:00Z";
    }

    public String getCause() {
      return "startup";
    }
  }

  @Test
  void confirmedTravelsAndAnOlderJvmReadsAsNotConfirmed() throws Exception {
    MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
    ObjectName now = new ObjectName("io.qcfg.test:type=HistoryNow");
    ObjectName old = new ObjectName("io.qcfg.test:type=HistoryOld");
    NewMXBean served = () -> List.of(new HistoryInfo(1, "ab", "production", "t", "startup", true),
        new HistoryInfo(2, "cd", "production", "t", "file-change"));
    OldMXBean older = () -> List.of(new OldInfo(1, "ab", "production", "t", "startup"));
    mbs.registerMBean(served, now);
    mbs.registerMBean(older, old);
    try {
      List<HistoryInfo> read = JMX.newMXBeanProxy(mbs, now, NewMXBean.class).history();
      assertThat(read).extracting(HistoryInfo::isConfirmed).containsExactly(true, false);
      List<HistoryInfo> fromOld = JMX.newMXBeanProxy(mbs, old, NewMXBean.class).history();
      assertThat(fromOld).singleElement().satisfies(h -> {
        assertThat(h.getVersion()).isEqualTo(1);
        assertThat(h.isConfirmed()).isFalse();
      });
    } finally {
      mbs.unregisterMBean(now);
      mbs.unregisterMBean(old);
    }
  }
}
