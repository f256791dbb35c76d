package io.qcfg.internal.layer;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import java.io.File;
import java.net.URL;

/**
 * An includer that answers every include with an empty object: for text parsed only to be
 * looked at or rewritten (migrations, redaction), where following an include would read files
 * or fetch URLs for nothing.
 */
public enum NoIncludes
    implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {
  INSTANCE;

  @Override
  public ConfigIncluder withFallback(ConfigIncluder fallback) {
    return this;
  }

  @Override
  public ConfigObject include(ConfigIncludeContext context, String what) {
    return ConfigFactory.empty().root();
  }

  @Override
  public ConfigObject includeFile(ConfigIncludeContext context, File what) {
    return ConfigFactory.empty().root();
  }

  @Override
  public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
    return ConfigFactory.empty().root();
  }

  @Override
  public ConfigObject includeResources(ConfigIncludeContext context, String what) {
    return ConfigFactory.empty().root();
  }
}
