package dev.blt.data.tensors;

import java.nio.ByteBuffer;

/** Decodes the little-endian bytes of a floating tensor; shared by the file readers. */
public final class TensorBytes {
    private TensorBytes() {
    }

    /** {@code count} elements of a floating {@code dtype} from {@code data} (little-endian, from index 0). */
    public static float[] toFloats(ByteBuffer data, DType dtype, int count) {
        float[] out = new float[count];
        switch (dtype) {
            case F32 -> data.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = (float) data.getDouble(i * 8);
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = HalfFloats.bf16ToFloat(data.getShort(i * 2));
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = HalfFloats.f16ToFloat(data.getShort(i * 2));
                }
            }
            default -> throw new IllegalArgumentException(dtype + " is not a floating type");
        }
        return out;
    }

    /**
     * Puts {@code n} values of {@code src} (a float[], int[] or long[]) from {@code from} into {@code out} as
     * {@code dtype}, little-endian; floats are converted to F32, BF16 or F16, integers stored as I32 or I64.
     */
    public static void encode(Object src, int from, int n, DType dtype, ByteBuffer out) {
        for (int i = from; i < from + n; i++) {
            switch (dtype) {
                case F32 -> out.putFloat(((float[]) src)[i]);
                case BF16 -> out.putShort(HalfFloats.floatToBf16(((float[]) src)[i]));
                case F16 -> out.putShort(HalfFloats.floatToF16(((float[]) src)[i]));
                case I64 -> out.putLong(src instanceof long[] l ? l[i] : ((int[]) src)[i]);
                case I32 -> out.putInt(src instanceof int[] a ? a[i] : Math.toIntExact(((long[]) src)[i]));
                default -> throw new IllegalArgumentException("cannot store values as " + dtype);
            }
        }
    }

    /** A row-major {@code [rows, cols]} matrix as row-major {@code [cols, rows]}. */
    public static float[] transpose(float[] a, int rows, int cols) {
        float[] out = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = a[r * cols + c];
            }
        }
        return out;
    }
}
