package dev.blt.waterfill.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.data.tensors.TensorInfo;
import dev.blt.waterfill.core.Ranking;
import dev.blt.waterfill.io.NpyHeader;
import dev.blt.waterfill.io.NpyReader;
import dev.blt.waterfill.io.NpzReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a water-filling output ({@code .npz}) or an ingest file ({@code .safetensors}) and summarizes it:
 * per-array statistics, and for water-filling outputs the shell histogram, occupancy against capacity and the
 * correlation of radius with prominence. Works on empty arrays.
 */
public final class SphereInspector {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SphereInspector() {
    }

    public static Inspection inspect(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".npz")) {
            return inspectNpz(file);
        }
        if (name.endsWith(IngestFormat.TENSORS_SUFFIX)) {
            return inspectSafetensors(file);
        }
        throw new IOException(file + ": unsupported file type (expected .npz or .safetensors)");
    }

    private static Inspection inspectSafetensors(Path file) throws IOException {
        List<ArrayStats> arrays = new ArrayList<>();
        try (SafeTensorsFile st = SafeTensorsFile.open(file)) {
            for (TensorInfo t : st.tensors().values()) {
                ArrayStats.Builder b = new ArrayStats.Builder();
                if (t.dtype().isFloating()) {
                    for (float v : st.readFloats(t.name())) {
                        b.accept(v);
                    }
                } else {
                    for (long v : st.readLongs(t.name())) {
                        b.accept(v);
                    }
                }
                arrays.add(b.build(t.name(), t.shape(), t.dtype().name()));
            }
        }
        return new Inspection(file.toString(), arrays, null, null, null, null, Double.NaN, Double.NaN);
    }

    private static Inspection inspectNpz(Path file) throws IOException {
        List<ArrayStats> arrays = new ArrayList<>();
        try (NpzReader z = NpzReader.open(file)) {
            for (String name : z.names()) {
                try (InputStream in = z.stream(name)) {
                    NpyHeader h = NpyHeader.read(in, z.source(name));
                    if (h.type().numeric()) {
                        ArrayStats.Builder b = new ArrayStats.Builder();
                        NpyReader.forEach(h, in, z.source(name), b::accept);
                        arrays.add(b.build(name, h.shape(), h.type().name()));
                    } else {
                        arrays.add(ArrayStats.ofText(name, h.shape(), h.type().name(), NpyReader.readString(h, in, z.source(name))));
                    }
                }
            }
            if (!z.contains("shells") || !z.contains("radii")) {
                return new Inspection(file.toString(), arrays, null, null, null, null, Double.NaN, Double.NaN);
            }
            double[] shells = z.readDoubles("shells");
            double[] capacity = z.contains("shell_capacity") ? z.readDoubles("shell_capacity") : null;
            ShellOccupancy occupancy = new ShellOccupancy(histogram(shells, bins(z, shells, capacity)), capacity);
            float[] radii = z.readFloats("radii");
            float[] prominence = z.contains("original_prominence") ? z.readFloats("original_prominence") : null;
            float[] cartesian = z.contains("cartesian") ? z.readFloats("cartesian") : null;
            double pearson = prominence == null ? Double.NaN : pearson(toDouble(radii), toDouble(prominence));
            double spearman = prominence == null ? Double.NaN : pearson(ranks(radii), ranks(prominence));
            return new Inspection(file.toString(), arrays, occupancy, radii, prominence, cartesian, pearson, spearman);
        }
    }

    /** At least target_shells bins (from the stored config) so empty top shells show, and enough for every value. */
    private static int bins(NpzReader z, double[] shells, double[] capacity) throws IOException {
        int bins = capacity == null ? 0 : capacity.length;
        if (z.contains("config")) {
            JsonNode c = JSON.readTree(z.readString("config"));
            bins = Math.max(bins, c.path("target_shells").asInt(0));
        }
        for (double s : shells) {
            if (s < 0 || s != Math.rint(s)) {
                throw new IOException(z.source("shells") + ": holds " + s + ", not a shell index");
            }
            bins = Math.max(bins, (int) s + 1);
        }
        return bins;
    }

    static long[] histogram(double[] shells, int bins) {
        long[] h = new long[bins];
        for (double s : shells) {
            h[(int) s]++;
        }
        return h;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Ranks with ties averaged, for Spearman's coefficient. */
    static double[] ranks(float[] v) {
        int[] order = Ranking.order(v, false);
        double[] r = new double[v.length];
        for (int a = 0; a < order.length; ) {
            int b = a;
            while (b + 1 < order.length && v[order[b + 1]] == v[order[a]]) {
                b++;
            }
            double mid = (a + b) / 2.0;
            for (int c = a; c <= b; c++) {
                r[order[c]] = mid;
            }
            a = b + 1;
        }
        return r;
    }

    /** NaN for fewer than 2 points or a constant series. */
    static double pearson(double[] x, double[] y) {
        int n = x.length;
        if (n < 2 || y.length != n) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
    }
}
