package dev.blt.cli;

import org.nd4j.linalg.api.buffer.DataType;

/** {@code --precision float32|float64}. */
final class Precision {
    private Precision() {
    }

    static DataType parse(String s) {
        return switch (s) {
            case "float32", "f32" -> DataType.FLOAT;
            case "float64", "f64" -> DataType.DOUBLE;
            default -> throw new UserError("--precision must be float32 or float64, not '" + s + "'");
        };
    }
}
