package dev.blt.waterfill.inspect;

import java.util.Arrays;

/**
 * Summary of one array: shape, dtype and, for numbers, count, min, max, mean and how many values are NaN
 * (min/max/mean skip them). An empty array has count 0 and NaN statistics.
 */
public record ArrayStats(String name, long[] shape, String dtype, long count, long nans, double min, double max,
                         double mean, String text) {

    /** Accumulates values one by one, so huge arrays need no copy. */
    static final class Builder {
        private long count;
        private long nans;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private double sum;

        void accept(double v) {
            if (Double.isNaN(v)) {
                nans++;
                return;
            }
            count++;
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }

        ArrayStats build(String name, long[] shape, String dtype) {
            boolean any = count > 0;
            return new ArrayStats(name, shape, dtype, count + nans, nans, any ? min : Double.NaN,
                    any ? max : Double.NaN, any ? sum / count : Double.NaN, null);
        }
    }

    static ArrayStats ofText(String name, long[] shape, String dtype, String text) {
        return new ArrayStats(name, shape, dtype, 1, 0, Double.NaN, Double.NaN, Double.NaN, text);
    }

    /** One line: "radii: shape=(500,), dtype=float32, min=32, max=512, mean=271.9". */
    public String render() {
        StringBuilder sb = new StringBuilder(name).append(": shape=")
                .append(Arrays.toString(shape).replace("[", "(").replace("]", shape.length == 1 ? ",)" : ")"))
                .append(", dtype=").append(dtype);
        if (text != null) {
            String t = text.length() > 120 ? text.substring(0, 117) + "..." : text;
            return sb.append(", text=").append(t).toString();
        }
        if (count - nans == 0) {
            return sb.append(count == 0 ? ", empty" : ", all NaN").toString();
        }
        sb.append(", min=").append(number(min)).append(", max=").append(number(max)).append(", mean=").append(number(mean));
        if (nans > 0) {
            sb.append(", NaN=").append(nans);
        }
        return sb.toString();
    }

    /** Six significant digits without trailing zeros: 10, 0.0029, 1.23457e+06. */
    static String number(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.6g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArrayStats s && s.name.equals(name) && Arrays.equals(s.shape, shape)
                && s.dtype.equals(dtype) && s.count == count && s.nans == nans
                && Double.compare(s.min, min) == 0 && Double.compare(s.max, max) == 0
                && Double.compare(s.mean, mean) == 0 && java.util.Objects.equals(s.text, text);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
