package dev.blt.data.pretokenize;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Images (PNG, JPEG, GIF, BMP, TIFF through ImageIO; WebP through TwelveMonkeys) decoded to raw 8-bit pixels:
 * row-major, channels interleaved — 1 channel for grey images, 3 (RGB) for colour, 4 (RGBA) with alpha. Then either
 * <ul>
 *   <li>byte patches: {@code patchSize} bytes every {@code stride} bytes of that raster (the seed's
 *       {@code Image{patch_size, stride}}); the last patch may be shorter. The decoded stream is the raster;</li>
 *   <li>square tiles of {@code tileSize}×{@code tileSize} pixels in raster order, clipped at the right and bottom
 *       edges (no padding bytes are invented). A tile's bytes are its rows one after another; the decoded stream is
 *       the tiles one after another.</li>
 * </ul>
 * For GIF and multi-image TIFF only the first image is used.
 * <p>
 * An image whose header declares more than {@code maxPixels} pixels (default {@link #DEFAULT_MAX_PIXELS}) is refused
 * before any pixel is decoded, so a small file cannot claim gigabytes of raster (a decompression bomb). An image whose
 * data ends early (a cut JPEG or PNG) is refused as truncated rather than scored with made-up pixels.
 */
public final class ImagePreTokenizer implements ModalityPreTokenizer {
    /**
     * Default pixel budget: 50 million pixels, e.g. 8660 x 5773; a 50-megapixel RGBA raster is 200 MB of heap.
     * Covers camera photos and scans; larger images must be allowed explicitly.
     */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    private final int patchSize;
    private final int stride;
    private final int tileSize;
    private final long maxPixels;

    private ImagePreTokenizer(int patchSize, int stride, int tileSize, long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("pixel budget must be positive, got " + maxPixels);
        }
        this.patchSize = patchSize;
        this.stride = stride;
        this.tileSize = tileSize;
        this.maxPixels = maxPixels;
    }

    public static ImagePreTokenizer patches(int patchSize, int stride) {
        if (patchSize <= 0 || stride <= 0) {
            throw new IllegalArgumentException("patch size and stride must be positive, got " + patchSize + " and " + stride);
        }
        return new ImagePreTokenizer(patchSize, stride, 0, DEFAULT_MAX_PIXELS);
    }

    public static ImagePreTokenizer tiles(int tileSize) {
        if (tileSize <= 0) {
            throw new IllegalArgumentException("tile size must be positive, got " + tileSize);
        }
        return new ImagePreTokenizer(0, 0, tileSize, DEFAULT_MAX_PIXELS);
    }

    /** The same pre-tokenizer with another pixel budget (width x height). */
    public ImagePreTokenizer withMaxPixels(long pixels) {
        return new ImagePreTokenizer(patchSize, stride, tileSize, pixels);
    }

    public long maxPixels() {
        return maxPixels;
    }

    @Override
    public String modality() {
        return "image";
    }

    @Override
    public List<ByteSegment> preTokenize(byte[] data) throws PreTokenizeException {
        Pixels pixels = decode(data, maxPixels);
        return tileSize > 0 ? tiles(pixels) : patches(pixels);
    }

    /** Decoded raster: {@code width * height * channels} bytes. */
    public record Pixels(int width, int height, int channels, byte[] bytes) {
    }

    /** Decodes within the {@link #DEFAULT_MAX_PIXELS} budget. */
    public static Pixels decode(byte[] data) throws PreTokenizeException {
        return decode(data, DEFAULT_MAX_PIXELS);
    }

    /**
     * Decodes the first image of {@code data}, refusing it by its header when it has more than {@code maxPixels}
     * pixels, and refusing truncated data.
     */
    public static Pixels decode(byte[] data, long maxPixels) throws PreTokenizeException {
        BufferedImage image = read(data, maxPixels);
        int w = image.getWidth();
        int h = image.getHeight();
        boolean alpha = image.getColorModel().hasAlpha();
        boolean grey = !alpha && image.getColorModel().getNumColorComponents() == 1
                && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        int channels = grey ? 1 : alpha ? 4 : 3;
        if ((long) w * h * channels > Integer.MAX_VALUE - 8) {
            throw new PreTokenizeException("image of " + w + "x" + h + " pixels is too large to hold in memory as raw pixels");
        }
        byte[] out = new byte[w * h * channels];
        if (grey) {
            // the raster's own samples: going through getRGB would apply a grey-to-sRGB gamma curve
            Raster raster = image.getRaster();
            int shift = Math.max(0, image.getColorModel().getComponentSize(0) - 8);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (byte) (raster.getSample(x, y, 0) >>> shift);
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = (y * w + x) * channels;
                    out[p] = (byte) (row[x] >>> 16);
                    out[p + 1] = (byte) (row[x] >>> 8);
                    out[p + 2] = (byte) row[x];
                    if (alpha) {
                        out[p + 3] = (byte) (row[x] >>> 24);
                    }
                }
            }
        }
        return new Pixels(w, h, channels, out);
    }

    private static BufferedImage read(byte[] data, long maxPixels) throws PreTokenizeException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new PreTokenizeException("not an image format ImageIO can decode (PNG, JPEG, GIF, BMP, TIFF, WebP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if ((long) w * h > maxPixels) {
                    throw new PreTokenizeException("image of " + w + "x" + h + " = " + (long) w * h
                            + " pixels exceeds the budget of " + maxPixels + " pixels");
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                // decoders that fill a cut image with grey say so only in a warning (JPEG: "Premature end")
                for (String warning : warnings) {
                    if (warning != null && warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                        throw new PreTokenizeException("truncated image: " + warning);
                    }
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (PreTokenizeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (endedEarly(e)) {
                throw new PreTokenizeException("truncated image: " + message(e), e);
            }
            throw new PreTokenizeException("corrupt image: " + message(e), e);
        }
    }

    /** Whether the decoder ran out of data: an {@link EOFException} somewhere in the causes. */
    private static boolean endedEarly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    /** The exception's message and its cause's, which often says what was wrong with the data. */
    private static String message(Throwable e) {
        String m = String.valueOf(e.getMessage());
        Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null || m.contains(cause.getMessage())
                ? m : m + ": " + cause.getMessage();
    }

    private List<ByteSegment> patches(Pixels px) {
        List<ByteSegment> out = new ArrayList<>();
        byte[] raster = px.bytes();
        for (long start = 0; start < raster.length; start += stride) {
            int s = (int) start;
            int end = (int) Math.min((long) s + patchSize, raster.length);
            int pixel = s / px.channels();
            Map<String, Object> fields = imageFields(px);
            fields.put("x", pixel % px.width());
            fields.put("y", pixel / px.width());
            out.add(new ByteSegment(Arrays.copyOfRange(raster, s, end), "patch", SegmentMetadata.decoded(s, end, fields)));
        }
        return out;
    }

    private List<ByteSegment> tiles(Pixels px) {
        List<ByteSegment> out = new ArrayList<>();
        long offset = 0;
        int c = px.channels();
        for (int ty = 0; ty < px.height(); ty += tileSize) {
            for (int tx = 0; tx < px.width(); tx += tileSize) {
                int tw = Math.min(tileSize, px.width() - tx);
                int th = Math.min(tileSize, px.height() - ty);
                byte[] bytes = new byte[tw * th * c];
                for (int row = 0; row < th; row++) {
                    System.arraycopy(px.bytes(), ((ty + row) * px.width() + tx) * c, bytes, row * tw * c, tw * c);
                }
                Map<String, Object> fields = imageFields(px);
                fields.put("x", tx);
                fields.put("y", ty);
                fields.put("tile_width", tw);
                fields.put("tile_height", th);
                out.add(new ByteSegment(bytes, "tile", SegmentMetadata.decoded(offset, offset + bytes.length, fields)));
                offset += bytes.length;
            }
        }
        return out;
    }

    private static Map<String, Object> imageFields(Pixels px) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("width", px.width());
        fields.put("height", px.height());
        fields.put("channels", px.channels());
        return fields;
    }
}
