package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Problem;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretPathsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "key",
        "credential",
        "credentials",
        "dbPassword",
        "DB_PASSWORD",
        "db-password",
        "clientsecret",
        "clientSecret",
        "secrets",
        "apiKey",
        "api-key",
        "api_key",
        "apikey",
        "APIKey",
        "secretKey",
        "privateKey",
        "accessToken",
        "refresh_token",
        "tokens",
        "keys",
        "key2",
        "password1",
        "signingKey"
      })
  void credentialNames(String segment) {
    assertThat(SecretPaths.namesCredential(segment)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "keyboard",
        "monkey",
        "turkey",
        "keyId",
        "key-id",
        "keys-count",
        "tokenTtl",
        "passwordFile",
        "publicKey",
        "public_key",
        "secretary",
        "host",
        "port",
        "0",
        "",
        "tokenizer",
        "donkeys"
      })
  void notCredentialNames(String segment) {
    assertThat(SecretPaths.namesCredential(segment)).isFalse();
  }

  @Test
  void nameRuleCoversThePathAndEverythingBelowIt() {
    SecretPaths s = SecretPaths.namesOnly();
    assertThat(s.isSecret("db.password")).isTrue();
    assertThat(s.isSecret("auth.credentials.user")).isTrue();
    assertThat(s.isSecret("api.keys.0")).isTrue();
    assertThat(s.isSecret("\"my.password\"")).isTrue(); // a quoted key is one segment
    assertThat(s.isSecret("db.host")).isFalse();
    // Above a name-rule secret only once the leaves are known:
    assertThat(s.isSecret("db")).isFalse();
    SecretPaths withLeaves = s.withLeaves(Set.of("db.password", "db.host", "http.port"));
    assertThat(withLeaves.isSecret("db")).isTrue();
    assertThat(withLeaves.isSecret("")).isTrue();
    assertThat(withLeaves.isSecret("http")).isFalse();
  }

  @Test
  void secretLayerEncryptedAndSchemaPathsAndTheirParentsAndChildren() {
    SecretPaths s =
        SecretPaths.of(
            Set.of("stripe.live"), Set.of("mail.smtp.auth"), List.of("servers.*.admin", "\"*\".x"));
    assertThat(s.isSecret("stripe.live")).isTrue();
    assertThat(s.isSecret("stripe")).isTrue(); // parent
    assertThat(s.isSecret("stripe.test")).isFalse(); // sibling
    assertThat(s.isSecret("mail.smtp.auth")).isTrue();
    assertThat(s.isSecret("mail.smtp.auth.user")).isTrue(); // child
    assertThat(s.isSecret("mail.smtp.host")).isFalse();
    assertThat(s.isSecret("servers.3.admin")).isTrue();
    assertThat(s.isSecret("servers.3.admin.name")).isTrue();
    assertThat(s.isSecret("servers.3")).isTrue();
    assertThat(s.isSecret("servers")).isTrue();
    assertThat(s.isSecret("servers.3.host")).isFalse();
    // A quoted "*" in a pattern is a key named *, not a wildcard.
    assertThat(s.isSecret("\"*\".x")).isTrue();
    assertThat(s.isSecret("other.x")).isFalse();

    assertThat(
            s.secretLeaves(
                Set.of(
                    "stripe.live",
                    "stripe.test",
                    "servers",
                    "servers.0.host",
                    "servers.0.admin",
                    "db.password",
                    "db.url")))
        .containsExactly("db.password", "servers", "servers.0.admin", "stripe.live");
  }

  @Test
  void schemaPatternsFollowPropertiesItemsAdditionalPropertiesAndRefs() {
    String schema =
        """
{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "definitions": {
    "creds": {"type": "object", "properties": {"pin": {"type": "string", "x-secret": true}}},
    "loop": {"type": "object", "properties": {"next": {"$ref": "#/definitions/loop"}}}
  },
  "properties": {
    "db": {"properties": {"dsn": {"type": "string", "writeOnly": true},
                          "host": {"type": "string", "writeOnly": false}}},
    "servers": {"type": "array",
                "items": {"properties": {"admin": {"x-secret": true}}}},
    "tenants": {"additionalProperties": {"properties": {"apiSecret": {"x-secret": true}}}},
    "bank": {"$ref": "#/definitions/creds"},
    "tuple": {"items": [{"x-secret": true}, {"type": "string"}]},
    "either": {"oneOf": [{"properties": {"otp": {"x-secret": true}}}]},
    "dotted.name": {"x-secret": true},
    "cycle": {"$ref": "#/definitions/loop"},
    "dangling": {"$ref": "#/definitions/absent"},
    "remote": {"$ref": "http://example.com/schema.json"},
    "vault": {"type": "object", "x-secret": true}
  }
}
""";
    List<String> patterns = SecretPaths.schemaPatterns(schema, "config/schema.json");
    assertThat(patterns)
        .containsExactlyInAnyOrder(
            "db.dsn",
            "servers.*.admin",
            "tenants.*.apiSecret",
            "bank.pin",
            "tuple.*",
            "either.otp",
            "\"dotted.name\"",
            "vault");
    SecretPaths s = SecretPaths.of(Set.of(), Set.of(), patterns);
    assertThat(s.isSecret("tenants.acme.apiSecret")).isTrue();
    assertThat(s.isSecret("\"dotted.name\"")).isTrue();
    assertThat(s.isSecret("dotted.name")).isFalse(); // two segments, not the quoted one
    assertThat(s.isSecret("vault.anything.below")).isTrue();
    assertThat(s.isSecret("db.host")).isFalse();
  }

  @Test
  void secretRootInSchemaMakesEverythingSecret() {
    List<String> patterns = SecretPaths.schemaPatterns("{\"x-secret\": true}", "s.json");
    assertThat(patterns).containsExactly("");
    assertThat(SecretPaths.of(Set.of(), Set.of(), patterns).isSecret("any.path")).isTrue();
  }

  @Test
  void schemaThatIsNotJsonIsAProblemWithTheLine() {
    Problem p =
        KeyRingTest.problems(
                () -> SecretPaths.schemaPatterns("{\n  \"a\": ,\n}", "config/schema.json"))
            .get(0);
    assertThat(p.id()).isEqualTo("QCFG-4030");
    assertThat(p.location()).isEqualTo("config/schema.json:2");
    assertThat(p.reason()).startsWith("expected a JSON schema, found invalid JSON: ");
  }

  @Test
  void nonObjectSchemasYieldNothing() {
    assertThat(SecretPaths.schemaPatterns("true", "s.json")).isEmpty();
    assertThat(SecretPaths.schemaPatterns("", "s.json")).isEmpty();
    assertThat(SecretPaths.schemaPatterns("{\"properties\": []}", "s.json")).isEmpty();
  }
}
