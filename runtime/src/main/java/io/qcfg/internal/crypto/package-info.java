/**
 * Secrets: {@code ENC[...]} values ({@link io.qcfg.internal.crypto.KeyRing}, {@link
 * io.qcfg.internal.crypto.EncryptedValue}, {@link io.qcfg.internal.crypto.ValueCipher}, {@link
 * io.qcfg.internal.crypto.ConfigDecryptor}), which paths are secret ({@link
 * io.qcfg.internal.crypto.SecretPaths}), scrubbing secrets out of text ({@link
 * io.qcfg.internal.crypto.Redactor}) and Ed25519 signatures over a configuration directory
 * ({@link io.qcfg.internal.crypto.DirectorySigner}). Internal: may change at any time.
 *
 * <p>Message ids QCFG-4000 to QCFG-4099: 4001-4008 key ring, 4010-4015 values, 4020 no key,
 * 4022 not decrypted (the offline CLI's note), 4030 schema, 4050-4060 directory signatures. No message of this package ever contains a key, a
 * plaintext or the data of a ciphertext.
 */
package io.qcfg.internal.crypto;
