package dev.blt.data.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** One row of a FineWeb-Edu-like table (a subset of its columns); any field may be null. */
record FineWebRow(String text, String id, String dump, String url, Long tokenCount, Double score) {
    private static final String[] PIECES = {
        "The mitochondria is the powerhouse of the cell. ", "Photosynthesis converts light into chemical energy.\n",
        "Ünïcödé: naïve café, 日本語のテキスト, emoji 🎓📚, ", "\"quoted\" text with a \\ backslash and\ttab. ",
        "Mathematics: ∑ x² = ∫ f(x) dx. ", "Line one\r\nLine two\n\n",
    };

    /** {@code n} deterministic rows: different lengths, non-ASCII text, quotes and newlines. */
    static List<FineWebRow> sample(int n, long seed) {
        Random rnd = new Random(seed);
        List<FineWebRow> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("doc " + i + ": ");
            int pieces = 1 + rnd.nextInt(6);
            for (int k = 0; k < pieces; k++) {
                sb.append(PIECES[rnd.nextInt(PIECES.length)]);
            }
            rows.add(new FineWebRow(sb.toString(), String.format("<urn:uuid:%08x-0000-4000-8000-%012d>", seed, i),
                    "CC-MAIN-2024-10", "https://example.org/" + seed + "/page/" + i, (long) sb.length() / 4,
                    2.5 + (i % 10) / 4.0));
        }
        return rows;
    }
}
