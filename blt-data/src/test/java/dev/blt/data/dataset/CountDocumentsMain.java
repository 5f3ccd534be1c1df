package dev.blt.data.dataset;

import java.util.List;
import java.util.zip.CRC32;

/**
 * Run in a forked JVM with a small heap by {@link StreamingHeapTest}: reads every document of the given inputs and
 * prints {@code docs=<n> bytes=<total> crc=<crc32 of all bytes> maxHeap=<bytes> ms=<reading time>}.
 */
public final class CountDocumentsMain {
    private CountDocumentsMain() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        long docs = 0;
        long bytes = 0;
        CRC32 crc = new CRC32();
        SourceOptions options = SourceOptions.defaults().withIdField("id").withBatchSize(Integer.parseInt(args[1]));
        try (DocumentStream stream = Sources.open(List.of(args[0]), options)) {
            for (Document d : stream) {
                docs++;
                bytes += d.bytes().length;
                crc.update(d.bytes());
            }
        }
        System.out.println("docs=" + docs + " bytes=" + bytes + " crc=" + crc.getValue()
                + " maxHeap=" + Runtime.getRuntime().maxMemory() + " ms=" + (System.nanoTime() - start) / 1_000_000);
    }
}
