package dev.blt.ingest;

import dev.blt.data.dataset.DatasetException;
import dev.blt.data.dataset.Document;
import dev.blt.data.dataset.DocumentStream;
import dev.blt.data.tokenizer.ByteTokenizer;
import dev.blt.model.Output;
import dev.blt.model.Scores;
import dev.blt.patching.ThresholdChoice;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * The threshold an ingest run patches with ({@link ThresholdChoice}, for {@code ingest}, {@code pipeline} and
 * {@code spark-ingest}): a calibration scores the first documents of the run, in its order, as the run scores them.
 */
public final class IngestThreshold {
    private IngestThreshold() {
    }

    /** The threshold for a run of {@code o} with its model loaded. */
    public static ThresholdChoice choose(IngestOptions o, LoadedModel model, Consumer<String> log) throws IOException {
        ThresholdChoice.Request r = o.threshold();
        return ThresholdChoice.choose(r, o.patching(), model.weights(), "the first " + r.documents() + " documents",
                () -> firstEntropies(o, model, r.documents()), log);
    }

    /** The same for a caller that does not run the model itself (spark-ingest's driver): loads it only to calibrate. */
    public static ThresholdChoice choose(IngestOptions o, Consumer<String> log) throws IOException {
        if (!o.threshold().calibrates()) {
            Path weights = o.weights() != null ? o.weights() : LoadedModel.defaultWeights();
            return ThresholdChoice.choose(o.threshold(), o.patching(), weights, null, null, log);
        }
        try (LoadedModel model = LoadedModel.load(o.weights(), o.modelConfig(), o.precision(), o.chunk(), 1, log)) {
            return choose(o, model, log);
        }
    }

    /** The entropies of every part of the run's first {@code k} input records, but those the run will reject. */
    static List<float[]> firstEntropies(IngestOptions o, LoadedModel model, int k) throws IOException {
        Segmenter segmenter = new Segmenter(o.modality(), o.partBytes());
        List<int[]> rows = new ArrayList<>();
        // bad records are the run's to report
        try (DocumentStream docs = IngestRun.source(o, o.sourceOptions().skipAndReportTo(b -> { })).open()) {
            int taken = 0;
            for (Document d : docs) {
                if (taken++ == k) {
                    break;
                }
                try {
                    for (IngestDocument part : segmenter.prepare(d)) {
                        rows.add(ByteTokenizer.encode(part.bytes(), true, true));
                    }
                } catch (DocumentException e) {
                    // not scored by the run either
                }
            }
        } catch (DatasetException e) {
            throw new IOException(e.getMessage(), e);
        }
        List<float[]> entropies = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += o.batch()) {
            for (Scores s : model.scorer().scoreBatch(rows.subList(from, Math.min(from + o.batch(), rows.size())),
                    EnumSet.of(Output.ENTROPIES))) {
                entropies.add(s.entropies());
            }
        }
        return entropies;
    }
}
