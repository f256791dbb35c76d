/**
 * Templates and exports (DESIGN.md "Templates", CLI {@code render}).
 *
 * <ul>
 *   <li>{@link io.qcfg.internal.template.TemplateSandbox}: a Pebble engine with reflection, file
 *       access outside one root, unbounded output and endless loops taken away;
 *   <li>{@link io.qcfg.internal.template.TemplateRenderer}: layer templates ({@code *.conf.peb},
 *       rendered once, then parsed as HOCON by the layer loader) and user templates ({@code
 *       templates/}, for {@code render});
 *   <li>{@link io.qcfg.internal.template.ConfigExporter}: deterministic hocon, json, properties,
 *       dotenv and Kubernetes ConfigMap/Secret exports with secrets redacted or left out.
 * </ul>
 *
 * <p>Message ids QCFG-4400..4499: 4401-4416 templates, 4450-4454 exports.
 */
package io.qcfg.internal.template;
