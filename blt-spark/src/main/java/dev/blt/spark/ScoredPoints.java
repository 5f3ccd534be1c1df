package dev.blt.spark;

import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.Orientation;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.Ranking;
import dev.blt.waterfill.core.Scores;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A document's points as sort keys, on an executor: {@code key} is {@link Ranking#key} of the point's score (the
 * single-JVM filler's key), so sorting by (key, ordinal, point) is its fill order, ties by index included. The
 * embeddings stay behind: the sort moves 16 bytes a point, not D floats.
 */
final class ScoredPoints implements FlatMapFunction<Row, Row> {
    static final String POINT = "point";
    static final String KEY = "key";
    static final StructType SCHEMA = new StructType().add(WaterfillInput.ORDINAL, DataTypes.LongType, false)
            .add(POINT, DataTypes.IntegerType, false).add(KEY, DataTypes.IntegerType, false);

    private final String configJson;

    ScoredPoints(String configJson) {
        this.configJson = configJson;
    }

    @Override
    public Iterator<Row> call(Row doc) throws Exception {
        WaterFillConfig config = ConfigFiles.parse(configJson);
        PointSet points = WaterfillInput.points(doc, config.level());
        float[] score = Scores.compute(points, config.entropyMode(), config.entropyTemperature());
        boolean descending = config.orientation() == Orientation.PROMINENT_INWARD;
        long ordinal = doc.getLong(doc.fieldIndex(WaterfillInput.ORDINAL));
        List<Row> out = new ArrayList<>(score.length);
        for (int i = 0; i < score.length; i++) {
            out.add(RowFactory.create(ordinal, i, Ranking.key(score[i], descending)));
        }
        return out.iterator();
    }
}
