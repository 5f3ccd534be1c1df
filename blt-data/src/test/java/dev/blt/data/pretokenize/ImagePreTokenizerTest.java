package dev.blt.data.pretokenize;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagePreTokenizerTest {
    private static final int W = 5;
    private static final int H = 3;

    /** Pixel (x, y) of the test image: distinct, hand-checkable values. */
    private static int rgb(int x, int y) {
        return (10 * x) << 16 | (100 + 10 * y) << 8 | (x + y);
    }

    private static BufferedImage testImage(int type) {
        BufferedImage image = new BufferedImage(W, H, type);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                image.setRGB(x, y, type == BufferedImage.TYPE_INT_ARGB ? (200 + x) << 24 | rgb(x, y) : rgb(x, y));
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "ImageIO writes " + format);
        return out.toByteArray();
    }

    @Test
    void losslessFormatsDecodeToTheExactPixels() throws IOException {
        for (String format : List.of("png", "bmp", "tiff")) {
            ImagePreTokenizer.Pixels px = ImagePreTokenizer.decode(encode(testImage(BufferedImage.TYPE_INT_RGB), format));
            assertEquals(W, px.width());
            assertEquals(H, px.height());
            assertEquals(3, px.channels());
            // pixel (3, 2) is at byte (2*5 + 3)*3 = 39: R = 30, G = 120, B = 5
            assertArrayEquals(new byte[]{30, 120, 5}, Arrays.copyOfRange(px.bytes(), 39, 42), format);
        }
    }

    @Test
    void greyAndAlphaKeepTheirChannels() throws IOException {
        BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 2, 2, 0, new int[]{0, 50, 128, 255});
        ImagePreTokenizer.Pixels g = ImagePreTokenizer.decode(encode(grey, "png"));
        assertEquals(1, g.channels());
        assertArrayEquals(new byte[]{0, 50, (byte) 128, (byte) 255}, g.bytes());
        ImagePreTokenizer.Pixels a = ImagePreTokenizer.decode(encode(testImage(BufferedImage.TYPE_INT_ARGB), "png"));
        assertEquals(4, a.channels());
        assertArrayEquals(new byte[]{30, 120, 5, (byte) 203}, Arrays.copyOfRange(a.bytes(), 52, 56));
    }

    @Test
    void tilesAreClippedSquaresInRasterOrder() throws IOException {
        List<ByteSegment> tiles = ImagePreTokenizer.tiles(2).preTokenize(encode(testImage(BufferedImage.TYPE_INT_RGB), "png"));
        // 5x3 pixels in 2x2 tiles: columns 0,2,4 and rows 0,2 -> 6 tiles, widths 2,2,1 and heights 2,1
        assertEquals(6, tiles.size());
        int[][] expected = {{0, 0, 2, 2}, {2, 0, 2, 2}, {4, 0, 1, 2}, {0, 2, 2, 1}, {2, 2, 2, 1}, {4, 2, 1, 1}};
        long offset = 0;
        for (int t = 0; t < 6; t++) {
            ByteSegment tile = tiles.get(t);
            var f = tile.metadata().fields();
            assertEquals(List.of(expected[t][0], expected[t][1], expected[t][2], expected[t][3], W, H, 3),
                    List.of(f.get("x"), f.get("y"), f.get("tile_width"), f.get("tile_height"), f.get("width"), f.get("height"), f.get("channels")));
            assertEquals(SegmentMetadata.Origin.DECODED, tile.metadata().origin());
            assertEquals(offset, tile.metadata().start());
            offset += tile.size();
            int k = 0;
            for (int y = expected[t][1]; y < expected[t][1] + expected[t][3]; y++) {
                for (int x = expected[t][0]; x < expected[t][0] + expected[t][2]; x++) {
                    int p = rgb(x, y);
                    assertArrayEquals(new byte[]{(byte) (p >> 16), (byte) (p >> 8), (byte) p}, Arrays.copyOfRange(tile.bytes(), k, k + 3));
                    k += 3;
                }
            }
            assertEquals(k, tile.size());
        }
        assertEquals((long) W * H * 3, offset);
    }

    @Test
    void bytePatchesWithStride() throws IOException {
        byte[] png = encode(testImage(BufferedImage.TYPE_INT_RGB), "png");
        byte[] raster = ImagePreTokenizer.decode(png).bytes();
        List<ByteSegment> patches = ImagePreTokenizer.patches(12, 9).preTokenize(png);
        // 45 raster bytes, patches start at 0, 9, ..., 36: 5 patches, the last one 9 bytes
        assertEquals(5, patches.size());
        for (int i = 0; i < 5; i++) {
            ByteSegment p = patches.get(i);
            assertEquals(9L * i, p.metadata().start());
            assertArrayEquals(Arrays.copyOfRange(raster, 9 * i, Math.min(9 * i + 12, 45)), p.bytes());
            assertEquals(3 * i % W, p.metadata().fields().get("x"));
            assertEquals(3 * i / W, p.metadata().fields().get("y"));
        }
        assertEquals(9, patches.get(4).size());
    }

    @Test
    void jpegAndGifDecode() throws IOException {
        for (String format : List.of("jpg", "gif")) {
            List<ByteSegment> tiles = ImagePreTokenizer.tiles(4).preTokenize(encode(testImage(BufferedImage.TYPE_INT_RGB), format));
            // 5x3 pixels in 4x4 tiles: one row of two tiles, 4x3 and 1x3
            assertEquals(2, tiles.size(), format);
            assertEquals(4 * 3 * 3, tiles.get(0).size(), format);
            assertEquals(1 * 3 * 3, tiles.get(1).size(), format);
        }
    }

    @Test
    void webpDecodesThroughTwelveMonkeys() throws IOException {
        assertTrue(ImageIO.getImageReadersByFormatName("webp").hasNext(), "TwelveMonkeys WebP plugin on the class path");
        // the smallest lossless WebP: RIFF/WEBP, a VP8L chunk whose header says 1x1 with alpha, one transparent pixel
        byte[] webp = java.util.HexFormat.of().parseHex("524946461a000000574542505650384c0d0000002f00000010071011118888fe0700");
        ImagePreTokenizer.Pixels px = ImagePreTokenizer.decode(webp);
        assertEquals(List.of(1, 1, 4), List.of(px.width(), px.height(), px.channels()));
        assertArrayEquals(new byte[4], px.bytes());
    }

    @Test
    void undecodableImagesFailClearly() throws IOException {
        PreTokenizeException notImage = assertThrows(PreTokenizeException.class,
                () -> ImagePreTokenizer.tiles(16).preTokenize("plain text".getBytes()));
        assertTrue(notImage.getMessage().contains("not an image"), notImage.getMessage());
        byte[] png = encode(testImage(BufferedImage.TYPE_INT_RGB), "png");
        byte[] truncated = Arrays.copyOf(png, png.length / 2);
        assertThrows(PreTokenizeException.class, () -> ImagePreTokenizer.tiles(16).preTokenize(truncated));
    }

    /** A noisy image, so that its encoding is long enough to cut inside the pixel data. */
    private static BufferedImage noise(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    @Test
    void truncatedJpegAndPngAreReportedAsTruncated() throws IOException {
        for (String format : List.of("jpg", "png")) {
            byte[] whole = encode(noise(96, 96), format);
            assertEquals(96, ImagePreTokenizer.decode(whole).width(), format);
            byte[] cut = Arrays.copyOf(whole, whole.length / 2);
            PreTokenizeException e = assertThrows(PreTokenizeException.class,
                    () -> ImagePreTokenizer.tiles(16).preTokenize(cut), format);
            assertTrue(e.getMessage().startsWith("truncated image: "), format + ": " + e.getMessage());
        }
    }

    /** A PNG whose header declares {@code w x h} grey pixels, followed by a small IDAT of zero rows. */
    private static byte[] bombPng(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(9);
        deflater.setInput(new byte[4 << 20]);
        byte[] idat = new byte[1 << 16];
        int n = deflater.deflate(idat, 0, idat.length, java.util.zip.Deflater.SYNC_FLUSH);
        chunk(out, "IDAT", Arrays.copyOf(idat, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(typeBytes);
        out.write(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void decompressionBombIsRefusedByItsHeader() throws IOException {
        byte[] bomb = bombPng(40_000, 40_000);
        assertTrue(bomb.length < 20_000, "a small file: " + bomb.length + " bytes");
        long start = System.nanoTime();
        PreTokenizeException e = assertThrows(PreTokenizeException.class,
                () -> new PreTokenizerOptions().create(Modality.IMAGE, "bomb.png").preTokenize(bomb));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().contains("40000x40000") && e.getMessage().contains("1600000000")
                && e.getMessage().contains("budget of " + ImagePreTokenizer.DEFAULT_MAX_PIXELS), e.getMessage());
        // decoding 1.6 G pixels would take far longer and could not fit in a byte array
        assertTrue(millis < 2_000, "refused in " + millis + " ms");
    }

    @Test
    void pixelBudgetIsAnOption() throws IOException {
        byte[] png = encode(testImage(BufferedImage.TYPE_INT_RGB), "png");
        PreTokenizeException e = assertThrows(PreTokenizeException.class,
                () -> new PreTokenizerOptions().maxImagePixels(14).create(Modality.IMAGE, null).preTokenize(png));
        assertTrue(e.getMessage().contains("5x3 = 15 pixels exceeds the budget of 14 pixels"), e.getMessage());
        assertEquals(2, new PreTokenizerOptions().maxImagePixels(15).tileSize(4).create(Modality.IMAGE, null)
                .preTokenize(png).size());
    }

    @Test
    void ordinaryLargeImagesFitTheDefaultBudget() throws IOException {
        ImagePreTokenizer image = (ImagePreTokenizer) new PreTokenizerOptions().create(Modality.IMAGE, null);
        assertEquals(50_000_000L, image.maxPixels());
        byte[] photo = encode(new BufferedImage(2000, 1500, BufferedImage.TYPE_INT_RGB), "jpg");
        ImagePreTokenizer.Pixels p = ImagePreTokenizer.decode(photo, image.maxPixels());
        assertEquals(List.of(2000, 1500, 3), List.of(p.width(), p.height(), p.channels()));
        byte[] grey = encode(new BufferedImage(4000, 4000, BufferedImage.TYPE_BYTE_GRAY), "png");
        ImagePreTokenizer.Pixels g = ImagePreTokenizer.decode(grey, image.maxPixels());
        assertEquals(List.of(4000, 4000, 1), List.of(g.width(), g.height(), g.channels()));
    }
}
