package io.qcfg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemTest {
  @Test
  void rendersLocationPathReasonAndId() {
    Problem p = new Problem("QCFG-1234", "config/application.conf:3", "http.port", "expected int");
    assertThat(p.toString()).isEqualTo("config/application.conf:3: http.port: expected int [QCFG-1234]");
  }
}
