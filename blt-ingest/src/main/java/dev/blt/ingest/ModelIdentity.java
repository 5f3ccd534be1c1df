package dev.blt.ingest;

import dev.blt.model.ModelConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The model's identity in outputs: SHA-256 over the weights files' bytes (one file, or a sharded checkpoint's
 * shards in index order) followed by the config's JSON.
 */
final class ModelIdentity {
    private ModelIdentity() {
    }

    static String sha256(List<Path> weights, ModelConfig config) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        for (Path file : weights) {
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
        md.update(config.toJson().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }
}
