package dev.blt.data.pretokenize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** A labelled byte range of a container file (an ELF section, a ZIP entry) found by a structure parser. */
record Region(long start, long end, String label, Map<String, Object> fields) {
    /**
     * Segments covering all of {@code data}: the regions in file order (a region overlapping an earlier one is
     * dropped, since its bytes are already covered) and {@code gapLabel} segments for the bytes no region claims.
     */
    static List<ByteSegment> tile(byte[] data, List<Region> regions, String firstGapLabel, String gapLabel) {
        List<Region> sorted = new ArrayList<>(regions);
        sorted.sort(Comparator.comparingLong(Region::start).thenComparingLong(Region::end));
        List<ByteSegment> out = new ArrayList<>();
        int pos = 0;
        for (Region r : sorted) {
            if (r.start() < pos || r.end() > data.length || r.end() <= r.start()) {
                continue;
            }
            if (r.start() > pos) {
                out.add(Segments.slice(data, pos, (int) r.start(), pos == 0 ? firstGapLabel : gapLabel, Map.of()));
            }
            out.add(Segments.slice(data, (int) r.start(), (int) r.end(), r.label(), r.fields()));
            pos = (int) r.end();
        }
        if (pos < data.length) {
            out.add(Segments.slice(data, pos, data.length, pos == 0 ? firstGapLabel : gapLabel, Map.of()));
        }
        return Segments.checkTiling(out, data.length);
    }
}
