/**
 * Tokenizers behind one {@link dev.blt.data.tokenizer.Tokenizer} interface, opened by name or path with
 * {@link dev.blt.data.tokenizer.Tokenizers#open}: BLT's byte tokenizer (optionally with BPE delimiters, upstream's
 * {@code bpe_delim} mode), tiktoken encodings (jtokkit), SentencePiece models (DJL, decoded in Java) and Hugging Face
 * {@code tokenizer.json} files (DJL). Everything needed ships in the jars; nothing is downloaded.
 */
package dev.blt.data.tokenizer;
