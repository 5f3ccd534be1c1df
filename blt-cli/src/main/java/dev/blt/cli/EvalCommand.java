package dev.blt.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dev.blt.model.LMTransformer;
import dev.blt.model.ModelWeights;
import dev.blt.train.BitsPerByte;
import dev.blt.train.data.FileDocuments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

@Parameters(commandDescription = "Cross-entropy of a model on documents; the last line is bits_per_byte=<value>. "
        + "Each document is scored alone as BOS + bytes + EOS; bits per byte = total nats of the n + 1 predictions "
        + "after BOS (bytes and EOS) / ln 2 / n bytes, summed over documents; also over the first and the second "
        + "half of every document's bytes")
public final class EvalCommand implements Command, HelpOption {
    @Parameter(names = "--weights", required = true, description = ModelOptions.WEIGHTS_FORMATS)
    private Path weights;

    @Parameter(names = "--model-config", description = "Model config JSON, if the weights file carries none in its metadata")
    private Path modelConfig;

    @Parameter(names = "--input", required = true, variableArity = true,
            description = "Files or directories: .jsonl (field text), .txt, or any file as one document")
    private List<Path> inputs;

    @Parameter(names = "--line-docs", description = "Every non-empty line of a .txt file is a document")
    private boolean lineDocs;

    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public boolean help() {
        return help;
    }

    @Override
    public int run() throws IOException {
        ModelWeights w = ModelWeights.open(weights, modelConfig, Main::warn);
        BitsPerByte.Result r;
        try (LMTransformer model = LMTransformer.build(w)) {
            r = BitsPerByte.evaluate(model, FileDocuments.of(inputs, lineDocs), 0);
        }
        System.out.printf("documents=%d%nbytes=%d%npredictions=%d%nloss_nats=%.6f%n"
                        + "first_half_bits_per_byte=%.6f%nsecond_half_bits_per_byte=%.6f%nbits_per_byte=%.6f%n",
                r.documents(), r.bytes(), r.predictions(), r.loss(), r.firstHalfBitsPerByte(),
                r.secondHalfBitsPerByte(), r.bitsPerByte());
        return 0;
    }
}
