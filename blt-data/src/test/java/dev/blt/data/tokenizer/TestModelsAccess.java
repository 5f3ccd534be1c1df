package dev.blt.data.tokenizer;

import java.io.IOException;
import java.nio.file.Path;

/** Lets tests in other packages build the tokenizer test models. */
public final class TestModelsAccess {
    private TestModelsAccess() {
    }

    public static Path byteLevelTokenizerJson(Path dir) throws IOException {
        return TestModels.byteLevelTokenizerJson(dir, false);
    }

    public static Path sentencePieceModel(Path dir) throws IOException {
        return TestModels.sentencePieceModel(dir);
    }
}
