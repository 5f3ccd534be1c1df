/**
 * Pre-tokenization: cutting one document of a modality into labelled {@link dev.blt.data.pretokenize.ByteSegment}s
 * before entropy patching.
 *
 * <table>
 *   <caption>Modalities, their segments and what the bytes are</caption>
 *   <tr><th>modality</th><th>segments (labels)</th><th>bytes / ranges</th></tr>
 *   <tr><td>text</td><td>{@code word}/{@code space}; or {@code token}/{@code pretoken} and {@code invalid_utf8}</td>
 *       <td>input slices</td></tr>
 *   <tr><td>code</td><td>tree-sitter top-level node types ({@code function_item}, {@code class_declaration}, ...) and
 *       {@code gap}; {@code line} without a grammar</td><td>input slices</td></tr>
 *   <tr><td>audio</td><td>{@code wav_header}, {@code audio_frame}, {@code wav_trailer}</td><td>input slices (PCM as
 *       stored in the WAV)</td></tr>
 *   <tr><td>binary</td><td>{@code elf_header}, {@code elf_section}, {@code elf_gap}, {@code elf_section_headers};
 *       {@code zip_entry}, {@code zip_central_directory}, {@code zip_end}; {@code chunk}</td><td>input slices</td></tr>
 *   <tr><td>image</td><td>{@code tile} or {@code patch}</td><td>decoded 8-bit pixels, row-major, channels
 *       interleaved (grey 1, RGB 3, RGBA 4)</td></tr>
 *   <tr><td>pdf</td><td>{@code page}</td><td>decoded: each page's extracted text, UTF-8</td></tr>
 * </table>
 *
 * For the input-slice modalities, the segments' bytes concatenate to the input and each segment is
 * {@code input[start, end)}. {@link dev.blt.data.pretokenize.ModalityDetector} picks the modality for {@code auto}.
 * Every pre-tokenizer returns segments in a fixed order, and metadata fields in a fixed order, for the same input.
 */
package dev.blt.data.pretokenize;
