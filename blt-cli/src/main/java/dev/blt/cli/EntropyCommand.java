package dev.blt.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dev.blt.data.tensors.SafeTensorsWriter;
import dev.blt.data.tokenizer.ByteTokenizer;
import dev.blt.model.LMTransformer;
import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import dev.blt.model.Output;
import dev.blt.model.Precision;
import dev.blt.model.Scores;
import dev.blt.model.SequenceScorer;
import dev.blt.patching.EntropyPatcher;
import dev.blt.patching.PatchOptions;
import dev.blt.patching.Patches;
import dev.blt.patching.ThresholdChoice;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/** {@code ./blt entropy}: one sequence through the model; logits, pre-norm states, entropies and patches to a file. */
@Parameters(commandDescription = "Score one text or token sequence: logits, pre-norm states, norms, entropies, patches")
public final class EntropyCommand implements Command, HelpOption {
    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @com.beust.jcommander.ParametersDelegate
    private ModelOptions model = new ModelOptions();

    @Parameter(names = "--text", description = "Text to score (UTF-8 bytes; BOS and EOS added unless --no-bos/--no-eos)")
    private String text;

    @Parameter(names = "--tokens", description = "Comma-separated token ids, used as given (e.g. 1,76,105,2)")
    private String tokens;

    @Parameter(names = "--no-bos", description = "Do not prepend BOS to --text")
    private boolean noBos;

    @Parameter(names = "--no-eos", description = "Do not append EOS to --text")
    private boolean noEos;

    @com.beust.jcommander.ParametersDelegate
    private PatchingOptions patching = new PatchingOptions();

    @Parameter(names = "--precision", description = PrecisionOption.HELP)
    private String precision = "float32";

    @Parameter(names = "--out", required = true, description = "Output .safetensors: tokens, logits, prenorm, norms, "
            + "entropies, patch_starts, patch_lengths")
    private Path out;

    @Override
    public String name() {
        return "entropy";
    }

    @Override
    public boolean help() {
        return help;
    }

    @Override
    public int run() throws Exception {
        if ((text == null) == (tokens == null)) {
            throw new UserError("give exactly one of --text or --tokens");
        }
        PatchOptions rule = patching.toOptions();
        ModelWeights weights = model.load();
        ModelConfig c = weights.config();
        int[] ids = text != null ? ByteTokenizer.encode(text, !noBos, !noEos) : parseTokens(tokens, c.vocabSize());
        if (ids.length == 0) {
            throw new UserError("nothing to score: the sequence is empty");
        }
        Scores s;
        Precision arithmetic = PrecisionOption.parse(precision);
        try (LMTransformer lm = LMTransformer.build(weights, arithmetic);
             SequenceScorer scorer = new SequenceScorer(lm, null, 1)) {
            s = scorer.score(ids, EnumSet.allOf(Output.class));
        }
        float[] entropies = s.entropies();
        ThresholdChoice threshold;
        try {
            threshold = ThresholdChoice.choose(patching.request(), rule, model.weightsPath(), "the input",
                    () -> List.of(entropies), System.err::println);
        } catch (IllegalArgumentException e) {
            throw new UserError("--target-patch-size: " + e.getMessage(), e);
        }
        PatchOptions options = threshold.applyTo(rule);
        long[] starts = EntropyPatcher.startIds(s.entropies(), options);
        long[] lengths = EntropyPatcher.lengths(s.entropies(), options);
        long[] tokenArray = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            tokenArray[i] = ids[i];
        }
        new SafeTensorsWriter()
                .metadata("model_config", c.toJson())
                .metadata("patch_options", options.toString())
                .metadata("threshold", Double.toString(options.threshold()))
                .metadata("threshold_source", threshold.source())
                .metadata("precision", arithmetic.label())
                .addLongs("tokens", tokenArray, ids.length)
                .addFloats("logits", s.logits(), ids.length, c.vocabSize())
                .addFloats("prenorm", s.prenorm(), ids.length, c.dim())
                .addFloats("norms", s.norms(), ids.length)
                .addFloats("entropies", s.entropies(), ids.length)
                .addLongs("patch_starts", starts, starts.length)
                .addLongs("patch_lengths", lengths, lengths.length)
                .write(out);
        Patches p = EntropyPatcher.patches(s.entropies(), options);
        System.err.printf("scored %d tokens: %d patches, mean entropy %.4f nats -> %s%n", ids.length, p.count(),
                mean(s.entropies()), out);
        System.err.println("patches: " + patchLine(ids, lengths));
        return 0;
    }

    private static final int PATCH_LINE_CHARS = 400;

    /**
     * The patches as text, separated by '|': each patch's bytes decoded as UTF-8 (a character cut by a patch
     * boundary shows as U+FFFD), control characters escaped, special tokens as {@code <bos>} and the like.
     */
    static String patchLine(int[] ids, long[] lengths) {
        StringBuilder line = new StringBuilder();
        int at = 0;
        for (long length : lengths) {
            if (line.length() > 0) {
                line.append('|');
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            // with --include-next-token the last patch reaches past the input
            for (int i = at; i < Math.min(at + length, ids.length); i++) {
                if (ids[i] >= ByteTokenizer.OFFSET) {
                    bytes.write(ids[i] - ByteTokenizer.OFFSET);
                    continue;
                }
                appendText(line, bytes);
                line.append(switch (ids[i]) {
                    case ByteTokenizer.BOS_ID -> "<bos>";
                    case ByteTokenizer.EOS_ID -> "<eos>";
                    case ByteTokenizer.BOE_ID -> "<boe>";
                    default -> "<bpe>";
                });
            }
            appendText(line, bytes);
            at += (int) length;
            if (line.length() > PATCH_LINE_CHARS) {
                return line.append(at < ids.length ? "|..." : "").toString();
            }
        }
        return line.toString();
    }

    private static void appendText(StringBuilder line, ByteArrayOutputStream bytes) {
        bytes.toString(StandardCharsets.UTF_8).codePoints()
                .forEach(c -> line.append(SegmentTable.escape(c)));
        bytes.reset();
    }

    static int[] parseTokens(String list, int vocab) {
        String[] parts = list.trim().isEmpty() ? new String[0] : list.split(",");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UserError("--tokens: '" + parts[i].trim() + "' is not an integer");
            }
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new UserError("--tokens: id " + ids[i] + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        return ids;
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }
}
