package dev.blt.data.pretokenize;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PdfPreTokenizerTest {

    /** A PDF whose pages carry the given lines (null: an empty page). */
    static byte[] pdf(String... pages) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (String text : pages) {
                PDPage page = new PDPage();
                doc.addPage(page);
                if (text == null) {
                    continue;
                }
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    content.newLineAtOffset(72, 700);
                    content.showText(text);
                    content.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void onePageSegmentPerPageWithText() throws IOException {
        List<ByteSegment> s = new PdfPreTokenizer().preTokenize(pdf("Hello first page", null, "Third page here"));
        assertEquals(2, s.size());
        assertEquals("Hello first page", new String(s.get(0).bytes(), StandardCharsets.UTF_8).strip());
        assertEquals("Third page here", new String(s.get(1).bytes(), StandardCharsets.UTF_8).strip());
        assertEquals(List.of(1, 3), s.stream().map(x -> x.metadata().fields().get("page")).toList());
        assertEquals(3, s.get(0).metadata().fields().get("pages"));
        assertEquals(SegmentMetadata.Origin.DECODED, s.get(1).metadata().origin());
        assertEquals(s.get(0).metadata().end(), s.get(1).metadata().start());
        assertEquals(0, s.get(0).metadata().start());
    }

    @Test
    void brokenPdfFailsClearly() throws IOException {
        byte[] good = pdf("x");
        byte[] truncated = Arrays.copyOf(good, 40);
        PreTokenizeException e = assertThrows(PreTokenizeException.class, () -> new PdfPreTokenizer().preTokenize(truncated));
        assertTrue(e.getMessage().contains("PDF"), e.getMessage());
        assertThrows(PreTokenizeException.class, () -> new PdfPreTokenizer().preTokenize("not a pdf".getBytes()));
    }
}
