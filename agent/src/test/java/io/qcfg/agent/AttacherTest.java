package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AttacherTest {
  @Test
  void unknownOptionIsRefusedBeforeAnyAttach() {
    assertThatThrownBy(() -> Attacher.attach("1", "no-such.jar", "dri=config"))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("unknown option 'dri' (did you mean 'dir'?)")
        .hasMessageContaining("valid options: dir, env, state")
        .hasMessageContaining("QCFG-0001");
  }

  @Test
  void badValueIsRefusedBeforeAnyAttach() {
    assertThatThrownBy(() -> Attacher.attach("1", "no-such.jar", "jmx=maybe"))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("option jmx")
        .hasMessageContaining("'maybe'");
  }

  @Test
  void missingJarIsRefused() {
    assertThatThrownBy(() -> Attacher.attach("1", "no-such.jar", null))
        .isInstanceOf(QcfgException.Refused.class)
        .hasMessageContaining("no-such.jar: agent jar not found")
        .hasMessageContaining("QCFG-5021");
  }

  @Test
  void pathOptionsBecomeAbsoluteOthersStayAsGiven() {
    String cwd = Path.of("").toAbsolutePath().toString();
    assertThat(Attacher.checkedOptions("dir=config,env=staging,state=/var/q"))
        .isEqualTo("dir=" + cwd + "/config,env=staging,state=/var/q");
    assertThat(Attacher.checkedOptions("")).isEmpty();
    assertThat(Attacher.checkedOptions(null)).isEmpty();
  }
}
