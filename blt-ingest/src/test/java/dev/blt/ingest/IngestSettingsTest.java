package dev.blt.ingest;

import dev.blt.data.pretokenize.Modality;
import dev.blt.data.tensors.DType;
import dev.blt.patching.PatchOptions;
import dev.blt.patching.ThresholdChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void theShippedConfigIsValidAndSpellsTheDefaults() throws IOException {
        Path shipped = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "configs", "ingest.yaml");
        if (!Files.exists(shipped)) {
            shipped = Path.of("..", "configs", "ingest.yaml");
        }
        IngestSettings s = IngestSettings.load(shipped);
        IngestOptions o = IngestOptions.of(s.overriddenBy(new IngestSettings(List.of("x.jsonl"), "out", null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)));
        assertEquals(PatchOptions.defaults(), o.patching());
        assertNull(o.modality(), "auto-detect");
        assertEquals(DType.BF16, o.dtype());
        assertEquals(8, o.batch());
        assertNull(o.weights(), "the shipped config uses the default model");
    }

    @Test
    void commandLineOverridesTheFileValueByValue() throws IOException {
        Path f = tmp.resolve("c.yaml");
        Files.writeString(f, "input: [a.parquet, b.jsonl]\noutput: o\nthreshold: 2.5\nmonotonicity: true\n"
                + "shard: 1/4\ndtype: f16\n");
        IngestSettings cli = IngestSettings.NONE.overriddenBy(new IngestSettings(null, null, null, null, 1.5, null,
                null, null, "code", null, null, 10L, null, null, null, 2, null, null, null, null, null, null, null, null, null, null, null));
        IngestOptions o = IngestOptions.of(IngestSettings.load(f).overriddenBy(cli));
        assertEquals(List.of("a.parquet", "b.jsonl"), o.inputs());
        assertEquals(1.5, o.patching().threshold());
        assertTrue(o.patching().monotonicity());
        assertEquals(1, o.shardIndex());
        assertEquals(4, o.shardCount());
        assertEquals(".shard-1-of-4", o.shardSuffix());
        assertEquals(DType.F16, o.dtype());
        assertEquals(Modality.CODE, o.modality());
        assertEquals(10L, o.limit());
        assertEquals(2, o.batch());
    }

    /** A threshold and a target patch size are one choice: the command line's replaces the file's. */
    @Test
    void aTargetPatchSizeOnTheCommandLineReplacesTheFilesThreshold() throws IOException {
        Path f = tmp.resolve("t.yaml");
        Files.writeString(f, "input: [a]\noutput: o\nthreshold: 2.5\n");
        IngestSettings cli = new IngestSettings(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, 4.5, null, null);
        IngestOptions o = IngestOptions.of(IngestSettings.load(f).overriddenBy(cli));
        assertEquals(new ThresholdChoice.Request(null, 4.5, null), o.threshold());
        assertEquals(32, o.threshold().documents());
        IngestSettings both = new IngestSettings(null, null, null, null, 1.0, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, 4.5, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IngestOptions.of(IngestSettings.load(f).overriddenBy(both)));
        assertTrue(e.getMessage().startsWith("--threshold and --target-patch-size"), e.getMessage());
    }

    @Test
    void badFilesAndValuesAreNamed() throws IOException {
        Path f = tmp.resolve("bad.yaml");
        Files.writeString(f, "input: [a]\ntreshold: 2\n");
        IOException e = assertThrows(IOException.class, () -> IngestSettings.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("treshold"), e.getMessage());
        IngestSettings base = new IngestSettings(List.of("a"), "o", null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThrows(IllegalArgumentException.class, () -> IngestOptions.of(base.overriddenBy(
                new IngestSettings(null, null, null, null, null, null, null, null, null, null, null, null, "4/4",
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null))));
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> IngestOptions.of(base.overriddenBy(
                new IngestSettings(null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, "int8", null, null, null, null, null, null, null, null, null, null, null, null))));
        assertTrue(d.getMessage().startsWith("--dtype"), d.getMessage());
        IllegalArgumentException st = assertThrows(IllegalArgumentException.class, () -> IngestOptions.of(base.overriddenBy(
                new IngestSettings(null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null, null, null, 0, null, null, null, null, null, null, null))));
        assertTrue(st.getMessage().startsWith("--streams"), st.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IngestOptions.of(IngestSettings.NONE));
    }
}
