package io.qcfg.internal.etcd;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.tree.Origins;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An etcd user and password, exchanged for a token at {@code /v3/auth/authenticate}.
 *
 * <p>The password is a secret: {@link #toString()} never shows it, and no qcfg message ever
 * contains it.
 *
 * @param user the etcd user name
 * @param password the user's password
 */
public record EtcdCredentials(String user, String password) {
  public EtcdCredentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  /**
   * Credentials whose password is the content of {@code passwordFile} (UTF-8, one trailing newline
   * dropped), as a Kubernetes Secret volume or a Docker secret provides it.
   *
   * @throws QcfgException.Invalid QCFG-4608 when the file cannot be read
   */
  public static EtcdCredentials fromFile(String user, Path passwordFile) {
    String text;
    try {
      text = Files.readString(passwordFile, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      // The exception type only: a message could quote content.
      throw new QcfgException.Invalid(
          new Problem(
              "QCFG-4608",
              Origins.display(passwordFile),
              "",
              "cannot read the etcd password file: " + e.getClass().getSimpleName()));
    }
    if (text.endsWith("\r\n")) {
      text = text.substring(0, text.length() - 2);
    } else if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    return new EtcdCredentials(user, text);
  }

  @Override
  public String toString() {
    return "EtcdCredentials[user=" + user + ", password=***]";
  }
}
