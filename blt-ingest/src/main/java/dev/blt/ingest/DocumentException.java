package dev.blt.ingest;

/** One document cannot be ingested (undecodable image, wrong modality); the run reports it and goes on. */
public class DocumentException extends Exception {
    public DocumentException(String message) {
        super(message);
    }

    public DocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
