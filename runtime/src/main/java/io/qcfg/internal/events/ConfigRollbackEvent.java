package io.qcfg.internal.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

@Name("io.qcfg.ConfigRollback")
@Label("Configuration Rollback")
@Category("qcfg")
@Description("An earlier configuration version was applied again as a new version")
@StackTrace(false)
final class ConfigRollbackEvent extends jdk.jfr.Event {
  @Label("Version") long version;

  @Label("Target Version") @Description("The earlier version applied again")
  long targetVersion;

  @Label("Checksum") String checksum;

  @Label("Cause") String cause;
}
