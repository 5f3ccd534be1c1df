package dev.blt.spark;

import dev.blt.waterfill.algorithms.ExactCapacityFiller;
import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.SphereCoordinates;
import dev.blt.waterfill.core.SphereResult;
import dev.blt.waterfill.io.ResultWriter;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One document with the shells and radii the global fill gave its points, on an executor: reads the document's
 * points again and derives their coordinates with {@link SphereCoordinates#compute}, the function
 * {@code ./blt waterfill} uses (coordinates are per point, so a document needs nothing from the others). Yields one
 * {@link #SCHEMA} row per point and, with an npz directory, writes the document's {@code .npz} as
 * {@code ./blt waterfill} does.
 */
final class PlacedDocument implements FlatMapFunction<Row, Row> {
    static final String PLACED = "placed";
    /** The Parquet output: one row per point. */
    static final StructType SCHEMA = new StructType()
            .add(WaterfillInput.DOCUMENT, DataTypes.StringType, false).add(WaterfillInput.ORDINAL, DataTypes.LongType, false)
            .add(ScoredPoints.POINT, DataTypes.IntegerType, false).add("prominence", DataTypes.FloatType, false)
            .add(ShellOfRank.SHELL, DataTypes.IntegerType, false).add(ShellOfRank.RADIUS, DataTypes.FloatType, false)
            .add("theta", DataTypes.FloatType, false).add("phi", DataTypes.FloatType, false)
            .add("coordinates", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private final String configJson;
    private final double[] capacities;
    private final long globalPoints;
    private final String npzOut;

    PlacedDocument(String configJson, double[] capacities, long globalPoints, Path npzOut) {
        this.configJson = configJson;
        this.capacities = capacities;
        this.globalPoints = globalPoints;
        this.npzOut = npzOut == null ? null : npzOut.toString();
    }

    @Override
    public Iterator<Row> call(Row doc) throws Exception {
        WaterFillConfig config = ConfigFiles.parse(configJson);
        PointSet points = WaterfillInput.points(doc, config.level());
        String name = doc.getString(doc.fieldIndex(WaterfillInput.DOCUMENT));
        long ordinal = doc.getLong(doc.fieldIndex(WaterfillInput.ORDINAL));
        Placement placement = placement(name, points.n(), doc.getList(doc.fieldIndex(PLACED)));
        SphereCoordinates c = SphereCoordinates.compute(points, placement, config.seed(), false);
        if (npzOut != null) {
            ResultWriter.write(new SphereResult(points, placement, c), config, WaterfillInput.provenance(doc),
                    Path.of(npzOut, WaterfillInput.npzName(doc)));
        }
        int dim = points.dim();
        float[] p = points.prominence();
        List<Row> out = new ArrayList<>(points.n());
        for (int i = 0; i < points.n(); i++) {
            out.add(RowFactory.create(name, ordinal, i, p[i], placement.shells()[i], placement.radii()[i], c.theta()[i],
                    c.phi()[i], Arrays.copyOfRange(c.sphere(), i * dim, (i + 1) * dim)));
        }
        return out.iterator();
    }

    /** The document's share of the global fill, indexed by point; the capacities are the global ones. */
    private Placement placement(String name, int n, List<Row> placed) throws IOException {
        if (placed.size() != n) {
            // the file changed between the two reads: its points would no longer match their ranks
            throw new IOException(name + ": " + n + " points now, " + placed.size() + " when they were ranked");
        }
        float[] radii = new float[n];
        int[] shells = new int[n];
        for (Row r : placed) {
            int i = r.getInt(0);
            shells[i] = r.getInt(1);
            radii[i] = r.getFloat(2);
        }
        Map<String, Number> info = new LinkedHashMap<>();
        info.put("occupied_shells", ExactCapacityFiller.occupied(capacities));
        info.put("global_points", globalPoints);
        return new Placement(radii, shells, null, null, capacities, info);
    }
}
