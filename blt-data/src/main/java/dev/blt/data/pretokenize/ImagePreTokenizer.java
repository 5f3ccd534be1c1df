package dev.blt.data.pretokenize;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
 */
public final class ImagePreTokenizer implements ModalityPreTokenizer {
    private final int patchSize;
    private final int stride;
    private final int tileSize;

    private ImagePreTokenizer(int patchSize, int stride, int tileSize) {
        this.patchSize = patchSize;
        this.stride = stride;
        this.tileSize = tileSize;
    }

    public static ImagePreTokenizer patches(int patchSize, int stride) {
        if (patchSize <= 0 || stride <= 0) {
            throw new IllegalArgumentException("patch size and stride must be positive, got " + patchSize + " and " + stride);
        }
        return new ImagePreTokenizer(patchSize, stride, 0);
    }

    public static ImagePreTokenizer tiles(int tileSize) {
        if (tileSize <= 0) {
            throw new IllegalArgumentException("tile size must be positive, got " + tileSize);
        }
        return new ImagePreTokenizer(0, 0, tileSize);
    }

    @Override
    public String modality() {
        return "image";
    }

    @Override
    public List<ByteSegment> preTokenize(byte[] data) throws PreTokenizeException {
        Pixels pixels = decode(data);
        return tileSize > 0 ? tiles(pixels) : patches(pixels);
    }

    /** Decoded raster: {@code width * height * channels} bytes. */
    public record Pixels(int width, int height, int channels, byte[] bytes) {
    }

    public static Pixels decode(byte[] data) throws PreTokenizeException {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(data));
        } catch (IOException | RuntimeException e) {
            throw new PreTokenizeException("corrupt image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new PreTokenizeException("not an image format ImageIO can decode (PNG, JPEG, GIF, BMP, TIFF, WebP)");
        }
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
