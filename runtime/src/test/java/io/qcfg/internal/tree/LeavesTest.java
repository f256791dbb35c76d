package io.qcfg.internal.tree;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LeavesTest {

  /** The pathless walk finds the values the path walk finds, in any order. */
  @Test
  @Timeout(30)
  void forEachScalarFindsWhatForEachLeafFinds() {
    ConfigObject root = ConfigFactory.parseString("a { b = 1, c = [x, [y, {z = 2}], {}], d {} }\n"
        + "\"q.r\" = null\ne = [ ]\nf = true\ng.h.i = \"deep\"\nj = [1, 1, 1]\n").root();
    List<String> byPath = new ArrayList<>();
    Leaves.forEachLeaf(root, (path, v) -> byPath.add(v.valueType() + " " + v.unwrapped()));
    List<String> plain = new ArrayList<>();
    Leaves.forEachScalar(root, v -> plain.add(v.valueType() + " " + v.unwrapped()));
    assertThat(plain).containsExactlyInAnyOrderElementsOf(byPath).hasSize(10);
  }
}
