package io.qcfg.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

@Name("io.qcfg.ConfigApplied")
@Label("Configuration Applied")
@Category("qcfg")
@Description("A new configuration version was validated and applied")
@StackTrace(false)
final class ConfigAppliedEvent extends jdk.jfr.Event {
  @Label("Version") long version;

  @Label("Checksum") @Description("First 12 hex digits of the snapshot's checksum")
  String checksum;

  @Label("Cause") String cause;

  @Label("Build Time") @Timespan(Timespan.NANOSECONDS)
  long buildTime;
}
