package dev.blt.waterfill.langevin;

import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.testing.Points;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnnGraphTest {

    private static double cosine(PointSet p, int i, int j) {
        double dot = 0;
        for (int d = 0; d < p.dim(); d++) {
            dot += (double) p.embeddings()[i * p.dim() + d] * p.embeddings()[j * p.dim() + d];
        }
        return dot / (p.norm(i) * p.norm(j));
    }

    @Test
    void exactGraphIsSymmetricAndHoldsEveryTrueNeighbour() {
        PointSet p = Points.random(300, 12, 1);
        int k = 5;
        SimilarityGraph g = KnnGraph.build(p, k, 10_000, 4, 1);
        for (int i = 0; i < p.n(); i++) {
            Set<Integer> row = new HashSet<>();
            for (int e = g.offsets()[i]; e < g.offsets()[i + 1]; e++) {
                int j = g.neighbours()[e];
                assertTrue(j != i, "no self loops");
                assertTrue(e == g.offsets()[i] || g.neighbours()[e - 1] < j, "sorted, no duplicates");
                assertEquals(cosine(p, i, j), g.weights()[e], 1e-5);
                assertTrue(weight(g, j, i) == g.weights()[e], "symmetric with the same weight");
                row.add(j);
            }
            // brute-force top k by cosine, independently
            Integer[] all = new Integer[p.n()];
            for (int j = 0; j < p.n(); j++) {
                all[j] = j;
            }
            final int fi = i;
            java.util.Arrays.sort(all, (a, b) -> Double.compare(cosine(p, fi, b), cosine(p, fi, a)));
            int found = 0;
            for (int j = 0; found < k; j++) {
                if (all[j] != i) {
                    assertTrue(row.contains(all[j]), "point " + i + " misses neighbour " + all[j]);
                    found++;
                }
            }
        }
    }

    private static float weight(SimilarityGraph g, int i, int j) {
        for (int e = g.offsets()[i]; e < g.offsets()[i + 1]; e++) {
            if (g.neighbours()[e] == j) {
                return g.weights()[e];
            }
        }
        return Float.NaN;
    }

    @Test
    void approximateSearchFindsMostTrueNeighbours() {
        PointSet p = Points.clustered(3000, 96, 60, 2);
        int k = 8;
        SimilarityGraph approx = KnnGraph.build(p, k, 0, 4, 3);
        int[][] exactLists = KnnGraph.exact(KnnGraph.unitRows(p.embeddings(), p.n(), p.dim()), p.n(), p.dim(), k);
        long hit = 0;
        for (int i = 0; i < p.n(); i++) {
            for (int j : exactLists[i]) {
                if (!Float.isNaN(weight(approx, i, j))) {
                    hit++;
                }
            }
        }
        double recall = hit / (double) (p.n() * k);
        assertTrue(recall > 0.9, "recall " + recall);
        assertTrue(approx.edges() >= p.n() * k / 2);
        // deterministic for a seed
        assertArrayEquals(approx.neighbours(), KnnGraph.build(p, k, 0, 4, 3).neighbours());
    }
}
