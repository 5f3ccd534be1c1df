package dev.blt.train;

import dev.blt.train.data.DocumentSource;
import dev.blt.train.data.FileDocuments;
import dev.blt.train.data.HoldoutSplit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The documents a config names: training inputs, and held-out documents either from {@code eval_inputs} or split
 * off the inputs by {@code holdout_fraction} (none when both are absent/zero).
 */
public record TrainingData(DocumentSource train, DocumentSource heldOut) {

    public static TrainingData from(TrainConfig.Data d) throws IOException {
        DocumentSource all = FileDocuments.of(paths(d.inputs), d.lineDocs);
        if (!d.evalInputs.isEmpty()) {
            return new TrainingData(all, FileDocuments.of(paths(d.evalInputs), d.lineDocs));
        }
        if (d.holdoutFraction > 0) {
            return new TrainingData(HoldoutSplit.training(all, d.holdoutFraction), HoldoutSplit.heldOut(all, d.holdoutFraction));
        }
        return new TrainingData(all, null);
    }

    private static List<Path> paths(List<String> names) {
        return names.stream().map(Path::of).toList();
    }
}
