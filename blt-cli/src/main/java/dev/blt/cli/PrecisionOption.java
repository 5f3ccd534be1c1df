package dev.blt.cli;

import dev.blt.model.Precision;

/** {@code --precision}: parsed, and refused at once where this CPU cannot run it. */
final class PrecisionOption {
    static final String HELP = "float32 (as upstream), float64 (reference) or bf16 (opt-in, faster and less exact: "
            + "the linear layers in bfloat16; needs a CPU with AVX512_BF16 or AMX)";

    private PrecisionOption() {
    }

    static Precision parse(String s) {
        Precision p;
        try {
            p = Precision.parse(s);
        } catch (IllegalArgumentException e) {
            throw new UserError("--precision " + e.getMessage());
        }
        try {
            p.requireSupported();
        } catch (UnsupportedOperationException e) {
            throw new UserError("--precision " + e.getMessage() + "; use --precision float32");
        }
        return p;
    }
}
