package dev.blt.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dev.blt.data.pretokenize.AutoPreTokenizer;
import dev.blt.data.pretokenize.ByteSegment;
import dev.blt.data.pretokenize.CodeLanguage;
import dev.blt.data.pretokenize.Detection;
import dev.blt.data.pretokenize.Modality;
import dev.blt.data.pretokenize.ModalityPreTokenizer;
import dev.blt.data.pretokenize.PreTokenizeException;
import dev.blt.data.pretokenize.PreTokenizerOptions;
import dev.blt.data.tokenizer.Tokenizer;
import dev.blt.data.tokenizer.Tokenizers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ./blt pretokenize}: shows how a pre-tokenizer cuts files into byte segments. */
@Parameters(commandDescription = "Show the byte segments a modality pre-tokenizer cuts files into")
public final class PretokenizeCommand implements Command, HelpOption {
    @Parameter(description = "FILE...", required = true)
    private List<String> files = new ArrayList<>();

    @Parameter(names = "--modality", description = "auto (detect per file), or one of: text, code, image, audio, pdf, binary")
    private String modality = "auto";

    @Parameter(names = "--language", description = "code: java, python, rust, javascript or c (default: from the file extension; other languages are cut into lines)")
    private String language;

    @Parameter(names = "--tokenizer", description = "text: cut at a tokenizer's boundaries instead of whitespace: cl100k_base, o200k_base, or a tokenizer.json (its pre-tokenizer's words)")
    private String tokenizer;

    @Parameter(names = "--tile", description = "image: square tiles of this many pixels per side")
    private int tile = 16;

    @Parameter(names = "--patch-size", description = "image: byte patches of this many raw-pixel bytes instead of tiles")
    private int patchSize;

    @Parameter(names = "--stride", description = "image: bytes between patch starts (default: the patch size)")
    private int stride;

    @Parameter(names = "--frame-size", description = "audio: samples per channel in a frame")
    private int frameSize = 160;

    @Parameter(names = "--chunk-size", description = "binary: chunk size in bytes for files that are neither ELF nor ZIP")
    private int chunkSize = 4096;

    @Parameter(names = "--max-rows", description = "segments listed per file (0: all)")
    private int maxRows = 40;

    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    private final PrintStream out;

    public PretokenizeCommand() {
        this(System.out);
    }

    PretokenizeCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "pretokenize";
    }

    @Override
    public boolean help() {
        return help;
    }

    @Override
    public int run() throws IOException {
        Modality fixed = null;
        if (!modality.equals("auto")) {
            fixed = Modality.byName(modality).orElseThrow(() ->
                    new UserError("--modality " + modality + ": expected auto, " + Modality.names()));
        }
        if (tile <= 0 || patchSize < 0 || stride < 0 || frameSize <= 0 || chunkSize <= 0 || maxRows < 0) {
            throw new UserError("--tile, --frame-size and --chunk-size must be positive; --patch-size, --stride and --max-rows not negative");
        }
        PreTokenizerOptions options = new PreTokenizerOptions().tileSize(tile).frameSize(frameSize).chunkSize(chunkSize);
        if (patchSize > 0) {
            options.patches(patchSize, stride);
        }
        if (language != null) {
            options.language(CodeLanguage.byName(language).orElseThrow(() -> new UserError("--language " + language
                    + ": no bundled grammar; expected java, python, rust, javascript or c (without --language, files"
                    + " of other languages are cut into lines)")));
        }
        try (Tokenizer textTokenizer = openTokenizer()) {
            options.textTokenizer(textTokenizer);
            for (String file : files) {
                show(Path.of(file), fixed, options);
            }
        }
        return 0;
    }

    private Tokenizer openTokenizer() throws IOException {
        if (tokenizer == null) {
            return null;
        }
        try {
            return Tokenizers.open(tokenizer);
        } catch (IllegalArgumentException e) {
            throw new UserError("--tokenizer: " + e.getMessage());
        }
    }

    private void show(Path file, Modality fixed, PreTokenizerOptions options) {
        byte[] data = read(file);
        String name = file.getFileName() == null ? null : file.getFileName().toString();
        ModalityPreTokenizer preTokenizer;
        String how;
        if (fixed == null) {
            Detection d = new AutoPreTokenizer(options, name).detect(data);
            preTokenizer = options.forDetection(d, name);
            how = "auto -> " + d.modality().id() + (d.language() != null ? " (" + d.language().id() + ")" : "")
                    + " by " + d.reason() + ", " + d.mimeType();
        } else {
            preTokenizer = options.create(fixed, name);
            how = fixed.id();
        }
        List<ByteSegment> segments;
        try {
            segments = preTokenizer.preTokenize(data);
        } catch (PreTokenizeException e) {
            throw new UserError(file + ": cannot pre-tokenize as " + preTokenizer.modality() + ": " + e.getMessage());
        }
        SegmentTable.print(out, file.toString(), how, data.length, segments, maxRows);
    }

    private static byte[] read(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new UserError(file + ": is a directory");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException | OutOfMemoryError e) {
            throw new UserError(file + ": cannot read: " + e.getMessage());
        }
    }
}
