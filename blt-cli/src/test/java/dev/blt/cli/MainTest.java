package dev.blt.cli;

import dev.blt.ingest.ToolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code ./blt} answers to mistyped commands and options, {@code --version} and {@code help <command>}. */
class MainTest {
    @TempDir
    Path dir;

    /** Exit code 2, nothing on stdout, exactly {@code line} on stderr. */
    private static void assertUsageError(String line, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(Main.EXIT_USAGE, r.exitCode(), r.err());
        assertEquals("", r.out());
        assertEquals(List.of(line), r.err().lines().toList());
    }

    @Test
    void unknownOptionNamesTheNearestOne() {
        assertUsageError("blt: unknown option --inptu for ingest; did you mean --input?", "ingest", "--inptu", "x");
        assertUsageError("blt: unknown option --modalty for pretokenize; did you mean --modality?",
                "pretokenize", "--modalty", "code", "a.py");
        assertUsageError("blt: unknown option --verison; did you mean --version?", "--verison");
    }

    @Test
    void unknownOptionWithoutANearOneSaysWhereTheyAreListed() {
        assertUsageError("blt: unknown option --zzzz for ingest (./blt ingest --help lists them)", "ingest", "--zzzz");
        assertUsageError("blt: unknown option --frobnicate (./blt --help lists the commands)", "--frobnicate");
    }

    @Test
    void optionValuesThatStartWithADashAreNotOptions() {
        // -0.5 is --threshold-add's value; the check goes on to the mistyped option after it
        assertUsageError("blt: unknown option --txet for entropy; did you mean --text?",
                "entropy", "--threshold-add", "-0.5", "--txet", "a");
        // --input takes several values; an option among them is still checked
        assertUsageError("blt: unknown option --wieghts for eval; did you mean --weights?",
                "eval", "--input", "a.txt", "b.txt", "--wieghts", "w.safetensors");
    }

    @Test
    void unknownCommandNamesTheNearestOne() {
        assertUsageError("blt: unknown command 'ingset'; did you mean 'ingest'? (./blt --help lists them)", "ingset");
        assertUsageError("blt: unknown command 'spark-ingset'; did you mean 'spark-ingest'? (./blt --help lists them)",
                "spark-ingset");
        assertUsageError("blt: unknown command 'frobnicate' (./blt --help lists them)", "frobnicate");
        assertUsageError("blt: unknown command 'ingset'; did you mean 'ingest'? (./blt --help lists them)",
                "help", "ingset");
    }

    @Test
    void helpCommandIsTheCommandsHelp() {
        CliRun synonym = CliRun.of("help", "entropy");
        CliRun option = CliRun.of("entropy", "--help");
        assertEquals(0, synonym.exitCode(), synonym.err());
        assertEquals(option.out(), synonym.out());
        assertTrue(synonym.out().contains("--threshold-add"), synonym.out());
        // before the command too, despite entropy's required --out
        assertEquals(option.out(), CliRun.of("--help", "entropy").out());

        CliRun list = CliRun.of("help");
        assertEquals(0, list.exitCode());
        assertEquals(CliRun.of("--help").out(), list.out());
        assertTrue(list.out().contains("./blt help <command>"), list.out());
    }

    @Test
    void versionNamesTheBuildTheBlasAndTheCpu() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        assertEquals("blt " + ToolVersion.get(), lines.get(0));
        assertTrue(lines.get(1).matches("nd4j \\d+\\.\\d+\\.\\d+\\S* \\(CpuBackend(, oneDNN)?\\)"), lines.get(1));
        // the build's tests run on MKL unless -Dblas.opts= asks for OpenBLAS
        assertTrue(lines.get(2).matches("blas (MKL|OpenBLAS)( \\(org.bytedeco.openblas.load=\\S+\\))?"), lines.get(2));
        assertTrue(lines.get(3).matches("cpu .+, \\d+ cores(; AVX2 (yes|no), AVX-512 (yes|no), AVX512_BF16 (yes|no), "
                + "AMX (yes|no)| \\(features unknown: .*\\))"), lines.get(3));
        assertTrue(lines.get(4).startsWith("java " + System.getProperty("java.version")), lines.get(4));
    }

    @Test
    void cpuFeaturesComeFromProcCpuinfo() throws IOException {
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"), """
                processor\t: 0
                model name\t: Test CPU @ 2.00GHz
                flags\t\t: fpu sse2 avx avx2 avx512f avx512bw amx_bf16 amx_tile amx_int8
                """);
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals("Test CPU @ 2.00GHz, " + cores + " cores; AVX2 yes, AVX-512 yes, AVX512_BF16 no, AMX yes",
                VersionInfo.cpu(cpuinfo));
        assertTrue(VersionInfo.cpu(dir.resolve("none")).endsWith(cores + " cores (features unknown: no "
                + dir.resolve("none") + ")"));
    }

    @Test
    void nearestAllowsAboutOneEditPerThreeCharacters() {
        assertEquals(1, Typos.distance("inptu", "input"), "a swap is one edit");
        assertEquals(3, Typos.distance("kitten", "sitting"));
        assertEquals("--input", Typos.nearest("--inptu", List.of("--output", "--input")));
        assertEquals("--threshold", Typos.nearest("--treshhold", List.of("--threshold", "--threshold-add")));
        assertNull(Typos.nearest("--in", List.of("--out")), "nothing alike");
        assertNull(Typos.nearest("--batch", List.of("--bench", "--match-all")));
    }
}
