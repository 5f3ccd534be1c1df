package dev.blt.cli;

import dev.blt.ingest.ToolVersion;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * What {@code ./blt --version} prints: the versions, the BLAS and the CPU features that decide how fast the model
 * runs, so that a report of a speed or a result says what produced it.
 */
final class VersionInfo {
    private VersionInfo() {
    }

    static String text() {
        return "blt " + ToolVersion.get() + "\n"
                + "nd4j " + nd4jVersion() + " (" + Nd4j.getBackend().getClass().getSimpleName() + onednn() + ")\n"
                + "blas " + blas() + "\n"
                + "cpu " + cpu(Path.of("/proc/cpuinfo")) + "\n"
                + "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")\n";
    }

    /** ND4J's release, from its jar's Maven metadata (its manifest carries none). */
    private static String nd4jVersion() {
        try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The launcher picks ND4J's oneDNN build by this JavaCPP platform extension. */
    private static String onednn() {
        return "-onednn".equals(System.getProperty("org.bytedeco.javacpp.platform.extension")) ? ", oneDNN" : "";
    }

    /** The library that answers ND4J's BLAS calls, as ND4J reports it: MKL when the launcher found it, else OpenBLAS. */
    private static String blas() {
        String vendor = switch (Nd4j.factory().blas().getBlasVendor()) {
            case MKL -> "MKL";
            case OPENBLAS -> "OpenBLAS";
            case CUBLAS -> "cuBLAS";
            default -> "unknown";
        };
        String asked = System.getProperty("org.bytedeco.openblas.load");
        return asked == null ? vendor : vendor + " (org.bytedeco.openblas.load=" + asked + ")";
    }

    /** The CPU model and the instruction sets that matter for float32 and bfloat16 matrix products. */
    static String cpu(Path cpuinfo) {
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo);
        } catch (IOException | SecurityException e) {
            return System.getProperty("os.arch") + ", " + cores + " cores (features unknown: no " + cpuinfo + ")";
        }
        String model = field(lines, "model name");
        Set<String> flags = new HashSet<>(Arrays.asList(field(lines, "flags").split("\\s+")));
        List<String> features = new ArrayList<>();
        features.add("AVX2 " + yesNo(flags.contains("avx2")));
        features.add("AVX-512 " + yesNo(flags.contains("avx512f")));
        features.add("AVX512_BF16 " + yesNo(flags.contains("avx512_bf16")));
        features.add("AMX " + yesNo(flags.contains("amx_tile")));
        return (model.isEmpty() ? System.getProperty("os.arch") : model) + ", " + cores + " cores; "
                + String.join(", ", features);
    }

    /** The value of the first "name : value" line of /proc/cpuinfo, or "". */
    private static String field(List<String> lines, String name) {
        for (String l : lines) {
            int colon = l.indexOf(':');
            if (colon > 0 && l.substring(0, colon).trim().equals(name)) {
                return l.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
