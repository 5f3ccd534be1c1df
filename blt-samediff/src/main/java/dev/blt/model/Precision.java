package dev.blt.model;

import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The arithmetic of a model's forward pass.
 * <ul>
 *   <li>{@link #FLOAT32}: upstream's, and the default.</li>
 *   <li>{@link #FLOAT64}: a reference mode (see {@link LMTransformer#build(ModelWeights, Precision)}).</li>
 *   <li>{@link #BF16}: opt-in, for CPUs with bfloat16 dot-product instructions. The inputs and weights of the
 *   blocks' seven linear layers are rounded to bfloat16 and multiplied by oneDNN's bf16 GEMM (float32 accumulation,
 *   result rounded to bfloat16); the embedding, norms, RoPE, attention, residual stream and output layer stay
 *   float32. The linear layers are most of the model's arithmetic, and the instructions do twice the multiply-adds
 *   of float32 ones per cycle.</li>
 * </ul>
 */
public enum Precision {
    FLOAT32("float32", DataType.FLOAT),
    FLOAT64("float64", DataType.DOUBLE),
    BF16("bf16", DataType.FLOAT);

    /** CPU flags (Linux {@code /proc/cpuinfo} names) of instructions that multiply bfloat16 natively. */
    static final Set<String> BF16_FLAGS = Set.of("avx512_bf16", "amx_bf16");

    private final String label;
    private final DataType activations;

    Precision(String label, DataType activations) {
        this.label = label;
        this.activations = activations;
    }

    /** {@code float32}/{@code f32}, {@code float64}/{@code f64} or {@code bf16}/{@code bfloat16}. */
    public static Precision parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "float32", "f32" -> FLOAT32;
            case "float64", "f64" -> FLOAT64;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new IllegalArgumentException("must be float32, float64 or bf16, not '" + s + "'");
        };
    }

    /** As the command line writes it, and the run metadata records it. */
    public String label() {
        return label;
    }

    /** The type of the activations (and of every weight that is not a blocks' linear layer's under bf16). */
    public DataType activations() {
        return activations;
    }

    /** True when the blocks' linear layers multiply in bfloat16. */
    boolean bf16Linear() {
        return this == BF16;
    }

    /**
     * Fails, naming the instructions, when this precision needs ones this CPU lacks: without them oneDNN emulates
     * bfloat16 and the mode is slower than float32, so it is refused rather than run slow.
     */
    public void requireSupported() {
        if (!supported()) {
            throw new UnsupportedOperationException("bf16 needs a CPU with AVX512_BF16 or AMX-BF16 instructions, "
                    + "and this one has neither");
        }
    }

    /** False for bf16 on a CPU without bf16 instructions (see {@link #requireSupported}). */
    public boolean supported() {
        return this != BF16 || Cpu.BF16;
    }

    /** This CPU's answer, read once: every model built and every option parsed asks it again. */
    private static final class Cpu {
        static final boolean BF16 = hasBf16Instructions(cpuFlags());
    }

    /** True if a {@code /proc/cpuinfo} flags line (or any whitespace-separated flag list) names a bf16 instruction. */
    static boolean hasBf16Instructions(String flags) {
        return Stream.of(flags.trim().split("\\s+")).anyMatch(BF16_FLAGS::contains);
    }

    /** The first CPU's flags, empty where {@code /proc/cpuinfo} is not there to read (then bf16 is refused). */
    private static String cpuFlags() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("flags")).findFirst().map(l -> l.substring(l.indexOf(':') + 1))
                    .orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
