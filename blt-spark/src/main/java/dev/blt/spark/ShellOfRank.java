package dev.blt.spark;

import dev.blt.waterfill.core.ShellFill;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/** A sorted point with its global rank → its shell and radius, by the broadcast {@link ShellFill} of all N points. */
final class ShellOfRank implements Function<Tuple2<Row, Long>, Row> {
    static final String SHELL = "shell";
    static final String RADIUS = "radius";
    static final StructType SCHEMA = new StructType().add(WaterfillInput.ORDINAL, DataTypes.LongType, false)
            .add(ScoredPoints.POINT, DataTypes.IntegerType, false).add(SHELL, DataTypes.IntegerType, false)
            .add(RADIUS, DataTypes.FloatType, false);

    private final Broadcast<ShellFill> fill;

    ShellOfRank(Broadcast<ShellFill> fill) {
        this.fill = fill;
    }

    @Override
    public Row call(Tuple2<Row, Long> ranked) {
        ShellFill f = fill.value();
        long rank = ranked._2();
        int k = f.shellOf(rank);
        Row p = ranked._1();
        return RowFactory.create(p.getLong(0), p.getInt(1), k, f.radius(k, rank - f.start(k)));
    }
}
