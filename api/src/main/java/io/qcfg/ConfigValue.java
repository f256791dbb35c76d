package io.qcfg;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a field to a configuration path. Under {@code -javaagent:qcfg.jar} the field is made
 * volatile and rewritten on every applied snapshot; without the agent, {@link Qcfg#bind(Object)}
 * does the same for one object.
 *
 * <p>Supported field types: primitives and their boxes, {@code String}, {@link
 * java.time.Duration}, enums, {@code List<T>}, {@code Map<String, T>}, records and Java beans
 * bound from a configuration object. A record-typed field is replaced as one reference, so its
 * components always come from the same snapshot.
 *
 * <p>A missing path leaves the field at its declared default, the value it had before its first
 * binding; this is also true when a later edit removes the path. With {@code required = true} a
 * missing path makes the candidate configuration invalid instead.
 *
 * <pre>{@code
 * class Greeter {
 *   @ConfigValue("greeting.text") String text = "hello";
 *   @ConfigValue(value = "db", required = true) DbSettings db;
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ConfigValue {
  /** The configuration path, in HOCON dotted form, e.g. {@code "http.timeout"}. */
  String value();

  /** Whether a missing path is an error rather than "keep the declared default". */
  boolean required() default false;
}
