package dev.blt.data.pretokenize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import static dev.blt.data.pretokenize.SegmentAssertions.assertCoversInput;
import static dev.blt.data.pretokenize.SegmentAssertions.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AudioPreTokenizerTest {
    @TempDir
    Path dir;

    /** A WAV written by javax.sound: {@code frames} frames of a ramp. */
    static byte[] wav(float rate, int bits, int channels, int frames) throws IOException {
        AudioFormat format = new AudioFormat(rate, bits, channels, bits > 8, false);
        byte[] pcm = new byte[frames * format.getFrameSize()];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (byte) (i * 7);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), format, frames), AudioFileFormat.Type.WAVE, out);
        return out.toByteArray();
    }

    private static byte[] pcm(List<ByteSegment> segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        segments.stream().filter(s -> s.label().equals("audio_frame")).forEach(s -> out.writeBytes(s.bytes()));
        return out.toByteArray();
    }

    @Test
    void monoFramesAreInputSlicesWithTimes() throws IOException {
        byte[] input = wav(16000, 16, 1, 1000);
        List<ByteSegment> s = new AudioPreTokenizer(160).preTokenize(input);
        // 44-byte canonical header, then 1000 samples = 6 frames of 160 + one of 40
        assertEquals(List.of("wav_header", "audio_frame", "audio_frame", "audio_frame", "audio_frame", "audio_frame",
                "audio_frame", "audio_frame"), labels(s));
        assertEquals(44, s.get(0).size());
        assertEquals(320, s.get(1).size());
        assertEquals(80, s.get(7).size());
        var third = s.get(3).metadata().fields();
        assertEquals(320L, third.get("sample_offset"));
        assertEquals(0.02, (double) third.get("time_s"), 1e-12);
        assertEquals(16000, third.get("sample_rate"));
        assertEquals(1, third.get("channels"));
        assertCoversInput(input, s);
    }

    @Test
    void stereoFrameSizeCountsSamplesPerChannel() throws IOException {
        byte[] input = wav(8000, 8, 2, 100);
        List<ByteSegment> s = new AudioPreTokenizer(30).preTokenize(input);
        // 100 stereo frames of 2 bytes: frames of 30 -> 60 bytes, 4 frames (30, 30, 30, 10)
        assertEquals(5, s.size());
        assertEquals(60, s.get(1).size());
        assertEquals(20, s.get(4).size());
        assertEquals(90L, s.get(4).metadata().fields().get("sample_offset"));
        assertCoversInput(input, s);
    }

    @Test
    void chunksAfterTheSamplesAreKept() throws IOException {
        byte[] plain = wav(16000, 16, 1, 10);
        byte[] list = {'L', 'I', 'S', 'T', 4, 0, 0, 0, 'I', 'N', 'F', 'O'};
        byte[] input = new byte[plain.length + list.length];
        System.arraycopy(plain, 0, input, 0, plain.length);
        System.arraycopy(list, 0, input, plain.length, list.length);
        int riffSize = input.length - 8;
        input[4] = (byte) riffSize;
        input[5] = (byte) (riffSize >> 8);
        List<ByteSegment> s = new AudioPreTokenizer(160).preTokenize(input);
        assertEquals(List.of("wav_header", "audio_frame", "wav_trailer"), labels(s));
        assertEquals(12, s.get(2).size());
        assertCoversInput(input, s);
    }

    @Test
    void samplesMatchPythonsWaveModule() throws Exception {
        byte[] input = wav(22050, 16, 2, 777);
        Path file = Files.write(dir.resolve("a.wav"), input);
        String out = SegmentAssertions.python(
                "import sys, wave\nw = wave.open(sys.argv[1])\nprint(w.getframerate(), w.getnchannels(), w.getnframes())\n"
                        + "print(w.readframes(w.getnframes()).hex())", file.toString());
        assumeTrue(out != null, "python3 with the wave module is not available");
        String[] lines = out.strip().split("\n");
        assertEquals("22050 2 777", lines[0]);
        assertEquals(lines[1], HexFormat.of().formatHex(pcm(new AudioPreTokenizer(100).preTokenize(input))));
    }

    @Test
    void notWavFailsClearly() throws IOException {
        PreTokenizeException e = assertThrows(PreTokenizeException.class, () -> new AudioPreTokenizer(160).preTokenize("RIFF....".getBytes()));
        assertTrue(e.getMessage().contains("not"), e.getMessage());
        byte[] input = wav(16000, 16, 1, 100);
        byte[] truncated = java.util.Arrays.copyOf(input, 30);
        assertThrows(PreTokenizeException.class, () -> new AudioPreTokenizer(160).preTokenize(truncated));
    }
}
