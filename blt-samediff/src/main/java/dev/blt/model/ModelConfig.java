package dev.blt.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The forward-pass fields of upstream {@code LMTransformerArgs}, under their upstream JSON names.
 *
 * @param explicitHeadDim null means {@code dim / n_heads}
 * @param nKvHeads       null means {@code n_heads}
 * @param slidingWindow  null means no window; only {@code local_block_causal} honours it, as in upstream
 */
public record ModelConfig(int dim, int nLayers, int nHeads, Integer nKvHeads, Integer explicitHeadDim,
                          Double ffnDimMultiplier, int multipleOf, double normEps, double ropeTheta,
                          int maxSeqlen, int vocabSize, Integer slidingWindow, AttentionBias attnBiasType,
                          int eosId) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Upstream fields that exist but do not change the forward pass. */
    private static final Set<String> KNOWN_INERT = Set.of("rope_use_fp32_in_outer_product", "init_base_std",
            "init_std_factor", "attn_impl", "seed", "weight_tying");

    public ModelConfig {
        require(dim > 0 && nLayers > 0 && nHeads > 0 && vocabSize > 0 && maxSeqlen > 0,
                "dim, n_layers, n_heads, vocab_size and max_seqlen must be positive");
        require(explicitHeadDim != null || dim % nHeads == 0, "dim " + dim + " is not divisible by n_heads " + nHeads);
        require(nKvHeads == null || (nKvHeads > 0 && nHeads % nKvHeads == 0),
                "n_heads " + nHeads + " is not a multiple of n_kv_heads " + nKvHeads);
        int hd = explicitHeadDim != null ? explicitHeadDim : dim / nHeads; // fields are not assigned yet here
        require(hd > 0 && hd % 2 == 0, "head_dim " + hd + " must be positive and even for RoPE");
        require(slidingWindow == null || slidingWindow > 0, "sliding_window must be positive");
        require(multipleOf > 0, "multiple_of must be positive");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The released {@code facebook/blt-entropy} model (upstream {@code entropy_model.yaml}). */
    public static ModelConfig released() {
        return new ModelConfig(768, 14, 12, null, null, 1.0, 256, 1e-5, 10000.0, 8192, 260, 512,
                AttentionBias.LOCAL_BLOCK_CAUSAL, 2);
    }

    public int headDim() {
        return explicitHeadDim != null ? explicitHeadDim : dim / nHeads;
    }

    public int kvHeads() {
        return nKvHeads != null ? nKvHeads : nHeads;
    }

    /** SwiGLU hidden size, with upstream's truncations: int(2*4*dim/3), times the multiplier, rounded up. */
    public int ffnHidden() {
        int hidden = (int) (2 * (4 * dim) / 3.0);
        if (ffnDimMultiplier != null) {
            hidden = (int) (ffnDimMultiplier * hidden);
        }
        return multipleOf * ((hidden + multipleOf - 1) / multipleOf);
    }

    /** The window actually applied: only local_block_causal uses one (upstream semantics). */
    public Integer effectiveWindow() {
        return attnBiasType == AttentionBias.LOCAL_BLOCK_CAUSAL ? slidingWindow : null;
    }

    public long parameterCount() {
        long d = dim;
        long attn = d * nHeads * headDim() * 2L + d * kvHeads() * headDim() * 2L;
        long ffn = 3L * d * ffnHidden();
        return 2L * vocabSize * d + d + nLayers * (attn + ffn + 2 * d);
    }

    /** Forward FLOPs for one sequence of T tokens: 2 per weight use plus attention's two products. */
    public double forwardFlops(int t, Integer keysPerQuery) {
        double dense = 2.0 * t * (parameterCount() - (double) vocabSize * dim);
        double keys = keysPerQuery == null ? (t + 1) / 2.0 : Math.min(keysPerQuery, (t + 1) / 2.0);
        return dense + 4.0 * t * keys * nHeads * headDim() * nLayers;
    }

    /** Reads an {@code LMTransformerArgs} object: a fixture's {@code lm_transformer_args} or a bare args object. */
    public static ModelConfig fromJson(JsonNode args, String source, Consumer<String> warn) {
        if (!args.isObject()) {
            throw new IllegalArgumentException(source + ": model arguments are not a JSON object");
        }
        Fields f = new Fields(args, source);
        for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!f.known(name) && !KNOWN_INERT.contains(name)) {
                warn.accept(source + ": ignoring unknown model field '" + name + "'");
            }
        }
        try {
            return new ModelConfig(
                    f.requiredInt("dim"), f.requiredInt("n_layers"), f.requiredInt("n_heads"),
                    f.optionalInt("n_kv_heads"), f.optionalInt("head_dim"), f.optionalDouble("ffn_dim_multiplier", null),
                    f.optionalInt("multiple_of", 256), f.optionalDouble("norm_eps", 1e-5),
                    f.optionalDouble("rope_theta", 10000.0), f.optionalInt("max_seqlen", 1024),
                    f.requiredInt("vocab_size"), f.optionalInt("sliding_window"),
                    f.optionalBias(), f.optionalInt("eos_id", 2));
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith(source)) {
                throw e;
            }
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a model config file: a bare args object, a fixture JSON ({@code lm_transformer_args}), an upstream
     * {@code params.json} ({@code entropy_model}), an HF {@code config.json} ({@code args}), or a transformers BLT
     * {@code config.json} ({@code model_type} {@code blt} or {@code blt_patcher}; see {@link TransformersBlt}).
     */
    public static ModelConfig load(Path file, Consumer<String> warn) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": file not found");
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": not a JSON object");
        }
        if (root.has("entropy_model")) {
            ModelConfig c = fromJson(root.get("entropy_model"), file.toString(), warn);
            warnIfNotReleasedMask(c, file.toString(), warn);
            return c;
        }
        if (TransformersBlt.modelType(root) != null) {
            return TransformersBlt.config(root, file.toString(), warn);
        }
        for (String wrapper : new String[]{"lm_transformer_args", "args"}) {
            if (root.has(wrapper)) {
                return fromJson(root.get(wrapper), file.toString(), warn);
            }
        }
        return fromJson(root, file.toString(), warn);
    }

    /**
     * Upstream's load_entropy_model reads only the sizes from a checkpoint's config and hard-codes the released
     * mask: a config that states another one is followed, with a warning that upstream would not.
     */
    static void warnIfNotReleasedMask(ModelConfig c, String source, Consumer<String> warn) {
        if (c.attnBiasType() != AttentionBias.LOCAL_BLOCK_CAUSAL || !Integer.valueOf(512).equals(c.slidingWindow())) {
            warn.accept(source + ": using attn_bias_type=" + c.attnBiasType().upstreamName() + ", sliding_window="
                    + c.slidingWindow() + " as written; upstream's load_entropy_model would ignore them and use "
                    + "local_block_causal with window 512");
        }
    }

    public static ModelConfig parse(String json, String source, Consumer<String> warn) {
        try {
            return fromJson(JSON.readTree(json), source, warn);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The config as an upstream {@code LMTransformerArgs} JSON object. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("dim", dim).put("n_layers", nLayers).put("n_heads", nHeads);
        putNullable(o, "n_kv_heads", nKvHeads);
        putNullable(o, "head_dim", explicitHeadDim);
        if (ffnDimMultiplier == null) {
            o.putNull("ffn_dim_multiplier");
        } else {
            o.put("ffn_dim_multiplier", ffnDimMultiplier);
        }
        o.put("multiple_of", multipleOf).put("norm_eps", normEps).put("rope_theta", ropeTheta)
                .put("max_seqlen", maxSeqlen).put("vocab_size", vocabSize);
        putNullable(o, "sliding_window", slidingWindow);
        o.put("attn_bias_type", attnBiasType.upstreamName()).put("eos_id", eosId);
        return o.toString();
    }

    private static void putNullable(ObjectNode o, String name, Integer v) {
        if (v == null) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }

    /** Typed access to the JSON fields, with errors naming the file and field. */
    private static final class Fields {
        private static final Set<String> NAMES = Set.of("dim", "n_layers", "n_heads", "n_kv_heads", "head_dim",
                "ffn_dim_multiplier", "multiple_of", "norm_eps", "rope_theta", "max_seqlen", "vocab_size",
                "sliding_window", "attn_bias_type", "eos_id");
        private final JsonNode args;
        private final String source;

        Fields(JsonNode args, String source) {
            this.args = args;
            this.source = source;
        }

        boolean known(String name) {
            return NAMES.contains(name);
        }

        private JsonNode present(String name) {
            JsonNode v = args.get(name);
            return v == null || v.isNull() ? null : v;
        }

        int requiredInt(String name) {
            Integer v = optionalInt(name);
            if (v == null) {
                throw new IllegalArgumentException(source + ": missing required model field '" + name + "'");
            }
            return v;
        }

        Integer optionalInt(String name) {
            JsonNode v = present(name);
            if (v == null) {
                return null;
            }
            if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
                throw new IllegalArgumentException(source + ": model field '" + name + "' must be an integer, got " + v);
            }
            return v.asInt();
        }

        int optionalInt(String name, int dflt) {
            Integer v = optionalInt(name);
            return v == null ? dflt : v;
        }

        Double optionalDouble(String name, Double dflt) {
            JsonNode v = present(name);
            if (v == null) {
                return dflt;
            }
            if (!v.isNumber()) {
                throw new IllegalArgumentException(source + ": model field '" + name + "' must be a number, got " + v);
            }
            return v.asDouble();
        }

        AttentionBias optionalBias() {
            JsonNode v = present("attn_bias_type");
            return v == null ? AttentionBias.CAUSAL : AttentionBias.parse(v.asText());
        }
    }
}
