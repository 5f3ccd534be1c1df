package dev.blt.waterfill.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFilesTest {

    @Test
    void emptyFileGivesTheDefaults() throws IOException {
        assertEquals(WaterFillConfig.defaults(), ConfigFiles.parse(""));
        assertEquals(WaterFillConfig.defaults(), ConfigFiles.parse("{}"));
    }

    @Test
    void keysOverrideOnlyWhatTheyName() throws IOException {
        WaterFillConfig c = ConfigFiles.parse("""
                algorithm: osmotic-v2
                target_shells: 64
                orientation: prominent-inward
                langevin:
                  neighbours: 8
                """);
        assertEquals(Algorithm.OSMOTIC_V2, c.algorithm());
        assertEquals(64, c.targetShells());
        assertEquals(Orientation.PROMINENT_INWARD, c.orientation());
        assertEquals(8, c.langevin().neighbours());
        assertEquals(LangevinConfig.defaults().steps(), c.langevin().steps());
        assertEquals(WaterFillConfig.defaults().maxRadius(), c.maxRadius());
    }

    @Test
    void unknownKeysAndBadValuesAreNamed() {
        IOException unknown = assertThrows(IOException.class, () -> ConfigFiles.parse("langevin:\n  neighbors: 3\n"));
        assertTrue(unknown.getMessage().contains("langevin.neighbors"), unknown.getMessage());
        IOException range = assertThrows(IOException.class, () -> ConfigFiles.parse("min_radius: 600\n"));
        assertTrue(range.getMessage().contains("max_radius"), range.getMessage());
        IOException choice = assertThrows(IOException.class, () -> ConfigFiles.parse("algorithm: thrml\n"));
        assertTrue(choice.getMessage().contains("exact|osmotic-v1"), choice.getMessage());
    }

    @Test
    void overridesAreValidatedLikeFileKeys() throws IOException {
        WaterFillConfig base = ConfigFiles.parse("seed: 5\n");
        WaterFillConfig c = ConfigFiles.override(base, java.util.Map.of("target_shells", 64, "algorithm", "langevin"));
        assertEquals(64, c.targetShells());
        assertEquals(Algorithm.LANGEVIN, c.algorithm());
        assertEquals(5, c.seed());
        IOException e = assertThrows(IOException.class, () -> ConfigFiles.override(base, java.util.Map.of("max_radius", 1.0)));
        assertTrue(e.getMessage().contains("max_radius"), e.getMessage());
    }

    @Test
    void loadNamesTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "target_shells: 0\n");
        IOException e = assertThrows(IOException.class, () -> ConfigFiles.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("target_shells"), e.getMessage());
    }

    @Test
    void yamlAndJsonRoundTrip(@TempDir Path dir) throws IOException {
        WaterFillConfig c = ConfigFiles.parse("algorithm: langevin\nseed: 7\nentropy_mode: reward\n");
        Path json = dir.resolve("c.json");
        Files.writeString(json, ConfigFiles.toJson(c));
        assertEquals(c, ConfigFiles.load(json));
        assertEquals(c, ConfigFiles.parse(ConfigFiles.toYaml(c)));
    }

    /** The documented config file must state exactly the defaults, so the docs cannot drift from the code. */
    @Test
    void shippedConfigFileEqualsTheDefaults() throws IOException {
        Path shipped = Path.of(System.getProperty("user.dir")).getParent().resolve("configs/waterfill.yaml");
        assertEquals(WaterFillConfig.defaults(), ConfigFiles.load(shipped));
    }
}
