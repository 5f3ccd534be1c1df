package dev.blt.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blt.data.tensors.RoutedTensorSource;
import dev.blt.data.tensors.TensorInfo;
import dev.blt.data.tensors.TensorSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checkpoints of Hugging Face {@code transformers}' BLT port: a whole {@code BltForCausalLM}/{@code BltModel}
 * ({@code config.json} with {@code model_type "blt"}; the entropy model is its {@code patcher}, configured by
 * {@code patcher_config}) or a {@code BltPatcher} saved on its own ({@code model_type "blt_patcher"}). The patcher
 * is upstream's entropy model under other names (same RoPE pairing, so no weight is permuted): reading it is a
 * rename of its tensors and a mapping of its config.
 */
public final class TransformersBlt {
    public static final String MODEL_TYPE = "blt";
    public static final String PATCHER_MODEL_TYPE = "blt_patcher";
    /** Where a whole model keeps its patcher: {@code BltForCausalLM} wraps {@code BltModel} as {@code model}. */
    static final List<String> PATCHER_PREFIXES = List.of("model.patcher.", "patcher.");
    /** transformers' names inside a layer, before upstream's. */
    private static final Map<String, String> LAYER_PARTS = Map.of(
            "self_attn.q_proj.", "attention.wq.", "self_attn.k_proj.", "attention.wk.",
            "self_attn.v_proj.", "attention.wv.", "self_attn.o_proj.", "attention.wo.",
            "mlp.gate_proj.", "feed_forward.w1.", "mlp.down_proj.", "feed_forward.w2.",
            "mlp.up_proj.", "feed_forward.w3.", "input_layernorm.", "attention_norm.",
            "post_attention_layernorm.", "ffn_norm.");
    private static final String EMBEDDING = "embed_tokens.weight";

    private TransformersBlt() {
    }

    /** The {@code model_type} of a transformers BLT config ({@link #MODEL_TYPE}, {@link #PATCHER_MODEL_TYPE}), or null. */
    public static String modelType(JsonNode root) {
        JsonNode t = root == null ? null : root.get("model_type");
        String type = t == null ? null : t.asText();
        return MODEL_TYPE.equals(type) || PATCHER_MODEL_TYPE.equals(type) ? type : null;
    }

    /** {@link #modelType(JsonNode)} of a config file, or null when it is none (or not JSON). */
    public static String modelType(Path configFile) {
        try {
            return modelType(new ObjectMapper().readTree(configFile.toFile()));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The patcher's config as upstream arguments. Fields the file leaves out take {@code BltPatcherConfig}'s
     * defaults, as transformers would. The mask: transformers' config has no window (its BltPatcher applies a
     * plain causal mask), while the released entropy model was trained with, and upstream runs it under,
     * {@code local_block_causal} with window 512; that is used unless the config states otherwise (transformers'
     * conversion script copies upstream's {@code attn_bias_type} into {@code patcher_config}), with a warning.
     */
    static ModelConfig config(JsonNode root, String source, Consumer<String> warn) {
        JsonNode p = root;
        String where = "the config";
        if (MODEL_TYPE.equals(modelType(root))) {
            p = root.get("patcher_config");
            where = "patcher_config";
            if (p == null || !p.isObject()) {
                throw new IllegalArgumentException(source + ": a transformers BLT config without a patcher_config "
                        + "(the entropy model's)");
            }
        }
        int hidden = intOr(p, "hidden_size", 768);
        ObjectNode args = new ObjectMapper().createObjectNode();
        args.put("dim", hidden);
        args.put("n_layers", intOr(p, "num_hidden_layers", 14));
        args.put("n_heads", intOr(p, "num_attention_heads", 12));
        if (p.hasNonNull("num_key_value_heads")) {
            args.put("n_kv_heads", p.get("num_key_value_heads").asInt());
        }
        args.put("vocab_size", intOr(p, "vocab_size", 260));
        args.put("max_seqlen", intOr(p, "max_position_embeddings", 8192));
        args.put("norm_eps", p.hasNonNull("rms_norm_eps") ? p.get("rms_norm_eps").asDouble()
                : p.hasNonNull("norm_eps") ? p.get("norm_eps").asDouble() : 1e-5);
        args.put("rope_theta", ropeTheta(p, source));
        int ffn = !p.has("intermediate_size") ? 2048
                : p.get("intermediate_size").isNull() ? (int) (8 * hidden / 3.0) : p.get("intermediate_size").asInt();
        setFfn(args, hidden, ffn);
        boolean stated = p.hasNonNull("attn_bias_type");
        String bias = p.hasNonNull("attn_bias_type") ? p.get("attn_bias_type").asText()
                : AttentionBias.LOCAL_BLOCK_CAUSAL.upstreamName();
        args.put("attn_bias_type", bias);
        if (p.hasNonNull("sliding_window")) {
            args.put("sliding_window", p.get("sliding_window").asInt());
        } else if (bias.equals(AttentionBias.LOCAL_BLOCK_CAUSAL.upstreamName())) {
            args.put("sliding_window", 512);
        }
        ModelConfig c = ModelConfig.fromJson(args, source, warn);
        if (!stated) {
            warn.accept(source + ": " + where + " states no attn_bias_type; using attn_bias_type="
                    + c.attnBiasType().upstreamName() + ", sliding_window=" + c.slidingWindow() + " (the released "
                    + "entropy model's mask, which upstream's load_entropy_model hard-codes; transformers' BltPatcher "
                    + "would apply a plain causal mask)");
        } else {
            ModelConfig.warnIfNotReleasedMask(c, source, warn);
        }
        return c;
    }

    private static int intOr(JsonNode p, String name, int dflt) {
        return p.hasNonNull(name) ? p.get(name).asInt() : dflt;
    }

    private static double ropeTheta(JsonNode p, String source) {
        JsonNode rope = p.get("rope_parameters");
        if (rope != null && rope.isObject()) {
            String type = rope.path("rope_type").asText("default");
            if (!type.equals("default")) {
                throw new IllegalArgumentException(source + ": rope_type '" + type + "' is not supported (only "
                        + "transformers' default RoPE, which is upstream's)");
            }
            if (rope.hasNonNull("rope_theta")) {
                return rope.get("rope_theta").asDouble();
            }
        }
        return p.hasNonNull("rope_theta") ? p.get("rope_theta").asDouble() : 10000.0;
    }

    /**
     * Upstream derives the SwiGLU width from {@code dim}, {@code ffn_dim_multiplier} and {@code multiple_of};
     * transformers stores it. Picks the largest power-of-two {@code multiple_of} that gives it from
     * {@code int(8 dim / 3)}, else a multiplier that does.
     */
    private static void setFfn(ObjectNode args, int dim, int ffn) {
        int base = (int) (2 * (4 * dim) / 3.0);
        for (int m = 256; m >= 1; m /= 2) {
            if (m * ((base + m - 1) / m) == ffn) {
                args.put("ffn_dim_multiplier", 1.0).put("multiple_of", m);
                return;
            }
        }
        // int(multiplier * base) lands on ffn: the half keeps rounding error off the integer below
        args.put("ffn_dim_multiplier", (ffn + 0.5) / base).put("multiple_of", 1);
    }

    /** Upstream's name of one of the patcher's tensors, given without prefix; null when it is not one. */
    static String upstreamName(String name) {
        if (name.equals(EMBEDDING)) {
            return WeightNames.EMBEDDING;
        }
        if (name.equals("lm_head.weight")) {
            return WeightNames.OUTPUT;
        }
        if (name.equals("norm.weight")) {
            return WeightNames.FINAL_NORM;
        }
        if (name.startsWith("layers.")) {
            int dot = name.indexOf('.', "layers.".length());
            if (dot > 0) {
                String rest = name.substring(dot + 1);
                for (Map.Entry<String, String> e : LAYER_PARTS.entrySet()) {
                    if (rest.startsWith(e.getKey())) {
                        return name.substring(0, dot + 1) + e.getValue() + rest.substring(e.getKey().length());
                    }
                }
            }
        }
        return null;
    }

    /**
     * The source under upstream's names when its tensors are in transformers' layout (a patcher's names, bare or
     * under a whole model's {@link #PATCHER_PREFIXES}), else the source itself. Upstream's own names win: a file
     * holding {@code tok_embeddings.weight} is left alone.
     */
    public static TensorSource view(TensorSource st) {
        if (st.contains(WeightNames.EMBEDDING)) {
            return st;
        }
        if (st.contains(EMBEDDING)) {
            return new Renamed(st, "", "BltPatcher");
        }
        for (String prefix : PATCHER_PREFIXES) {
            if (st.contains(prefix + EMBEDDING)) {
                return new Renamed(st, prefix, prefix.startsWith("model.") ? "BltForCausalLM" : "BltModel");
            }
        }
        return st;
    }

    /** A patcher's tensors under upstream's names; the rest of a whole model is left out (the byte model). */
    private static final class Renamed extends RoutedTensorSource {
        private final TensorSource inner;
        private final String prefix;
        private final String modelClass;
        private int others;

        Renamed(TensorSource inner, String prefix, String modelClass) {
            this.inner = inner;
            this.prefix = prefix;
            this.modelClass = modelClass;
            for (TensorInfo t : inner.tensors().values()) {
                if (!t.name().startsWith(prefix)) {
                    others++;
                    continue;
                }
                String bare = t.name().substring(prefix.length());
                String up = upstreamName(bare);
                // an unknown name keeps transformers' spelling, so that validation reports it as found
                String name = up != null ? up : t.name();
                route(new TensorInfo(name, t.dtype(), t.shape(), t.begin(), t.end()), inner, t.name());
            }
        }

        @Override
        public Path path() {
            return inner.path();
        }

        @Override
        public String format() {
            return inner.format() + ", transformers' " + modelClass + " names" + (prefix.isEmpty() ? ""
                    : " (the patcher's " + tensors().size() + " tensors under '" + prefix + "'; " + others
                    + " tensors of the byte model not read)") + ", shown under upstream's";
        }

        @Override
        public Map<String, String> metadata() {
            return inner.metadata();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
