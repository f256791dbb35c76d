/**
 * The tamper-evident audit log in the state directory: {@link io.qcfg.internal.audit.AuditLog}
 * writes hash-chained JSON Lines ({@code audit.log}, rotated to {@code audit.<seq>.log}) and a
 * chain head ({@code audit.head}); {@link io.qcfg.internal.audit.AuditVerifier} checks them for
 * {@code qcfg audit verify}. Message ids QCFG-4100..4199. Internal: may change at any time.
 */
package io.qcfg.internal.audit;
