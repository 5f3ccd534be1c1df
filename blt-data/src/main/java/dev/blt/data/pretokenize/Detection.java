package dev.blt.data.pretokenize;

/**
 * What {@link ModalityDetector} decided: the modality, the programming language for code (else null), the MIME type
 * Tika reported, and the rule that decided (for users wondering why).
 */
public record Detection(Modality modality, CodeLanguage language, String mimeType, String reason) {
}
