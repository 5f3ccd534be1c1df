package dev.blt.data.pretokenize;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * PDF documents as their text, one {@code page} segment per page that has any (PDFBox's text extraction, UTF-8).
 * The decoded stream is the pages' texts one after another; field {@code page} is the 1-based page number, so pages
 * without text show up as gaps in the numbering.
 */
public final class PdfPreTokenizer implements ModalityPreTokenizer {
    @Override
    public String modality() {
        return "pdf";
    }

    @Override
    public List<ByteSegment> preTokenize(byte[] data) throws PreTokenizeException {
        try (PDDocument document = Loader.loadPDF(data)) {
            PDFTextStripper stripper = new PDFTextStripper();
            List<ByteSegment> out = new ArrayList<>();
            long offset = 0;
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                byte[] text = stripper.getText(document).getBytes(StandardCharsets.UTF_8);
                if (new String(text, StandardCharsets.UTF_8).isBlank()) {
                    continue;
                }
                out.add(new ByteSegment(text, "page", SegmentMetadata.decoded(offset, offset + text.length,
                        Segments.fields("page", page, "pages", document.getNumberOfPages()))));
                offset += text.length;
            }
            return out;
        } catch (InvalidPasswordException e) {
            throw new PreTokenizeException("encrypted PDF needs a password", e);
        } catch (IOException e) {
            throw new PreTokenizeException("not a readable PDF: " + e.getMessage(), e);
        }
    }
}
