package io.qcfg.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Differential against {@code ProcessHandle}. */
@Timeout(30)
class ProcessIdTest {
  @Test
  void isTheJdksPid() {
    assertThat(ProcessId.current()).isEqualTo(ProcessHandle.current().pid());
    assertThat(ProcessId.current()).isEqualTo(ProcessHandle.current().pid()); // cached
  }

  @Test
  void procGivesTheSameNumberWhereItExists() {
    long fromProc = ProcessId.fromProc();
    if (java.nio.file.Files.isSymbolicLink(java.nio.file.Path.of("/proc/self"))) {
      assertThat(fromProc).isEqualTo(ProcessHandle.current().pid());
    } else {
      assertThat(fromProc).isEqualTo(-1);
    }
  }
}
