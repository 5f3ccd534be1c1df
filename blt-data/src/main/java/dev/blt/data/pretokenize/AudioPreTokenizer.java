package dev.blt.data.pretokenize;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WAV audio cut into frames of {@code frameSize} samples per channel, without touching a byte: the PCM samples of
 * an uncompressed WAV are a slice of the file, so each {@code audio_frame} is an input range, and the bytes around
 * them are {@code wav_header} (RIFF, fmt and other chunks up to the samples) and {@code wav_trailer} (chunks after
 * the samples). javax.sound.sampled reads the format; the RIFF chunk walk finds where the samples are. The sample
 * rate is the file's (the seed's {@code sample_rate} was unused metadata), and a frame counts samples per channel
 * (the seed counted interleaved samples). The last frame may be shorter.
 */
public final class AudioPreTokenizer implements ModalityPreTokenizer {
    private final int frameSize;

    public AudioPreTokenizer(int frameSize) {
        if (frameSize <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + frameSize);
        }
        this.frameSize = frameSize;
    }

    @Override
    public String modality() {
        return "audio";
    }

    @Override
    public List<ByteSegment> preTokenize(byte[] data) throws PreTokenizeException {
        AudioFormat format = format(data);
        int[] samples = dataChunk(data);
        int dataStart = samples[0];
        int dataEnd = samples[1];
        int bytesPerFrame = format.getFrameSize();
        List<ByteSegment> out = new ArrayList<>();
        out.add(Segments.slice(data, 0, dataStart, "wav_header", formatFields(format)));
        long frameBytes = (long) frameSize * bytesPerFrame;
        for (long start = dataStart; start < dataEnd; start += frameBytes) {
            int end = (int) Math.min(start + frameBytes, dataEnd);
            long sampleOffset = (start - dataStart) / bytesPerFrame;
            Map<String, Object> fields = formatFields(format);
            fields.put("sample_offset", sampleOffset);
            fields.put("time_s", sampleOffset / (double) format.getSampleRate());
            out.add(Segments.slice(data, (int) start, end, "audio_frame", fields));
        }
        if (dataEnd < data.length) {
            out.add(Segments.slice(data, dataEnd, data.length, "wav_trailer", Map.of()));
        }
        return Segments.checkTiling(out, data.length);
    }

    private static AudioFormat format(byte[] data) throws PreTokenizeException {
        AudioFormat format;
        try {
            format = AudioSystem.getAudioFileFormat(new ByteArrayInputStream(data)).getFormat();
        } catch (UnsupportedAudioFileException e) {
            throw new PreTokenizeException("not an audio file javax.sound can read (WAV, uncompressed PCM)", e);
        } catch (IOException e) {
            throw new PreTokenizeException("corrupt audio file: " + e.getMessage(), e);
        }
        AudioFormat.Encoding encoding = format.getEncoding();
        boolean pcm = encoding.equals(AudioFormat.Encoding.PCM_SIGNED) || encoding.equals(AudioFormat.Encoding.PCM_UNSIGNED)
                || encoding.equals(AudioFormat.Encoding.PCM_FLOAT);
        if (!pcm || format.getFrameSize() <= 0) {
            throw new PreTokenizeException("audio encoding " + encoding + " is not uncompressed PCM");
        }
        return format;
    }

    /** {start, end} of the WAV {@code data} chunk's samples, clamped to the file (streamed WAVs leave sizes open). */
    private static int[] dataChunk(byte[] data) throws PreTokenizeException {
        if (data.length < 12 || !ascii(data, 0, "RIFF") || !ascii(data, 8, "WAVE")) {
            throw new PreTokenizeException("not a WAV file (no RIFF/WAVE header)");
        }
        long pos = 12;
        while (pos + 8 <= data.length) {
            long size = le32(data, (int) pos + 4);
            long body = pos + 8;
            if (ascii(data, (int) pos, "data")) {
                return new int[]{(int) body, (int) Math.min(body + size, data.length)};
            }
            pos = body + size + (size & 1);
        }
        throw new PreTokenizeException("WAV file has no data chunk");
    }

    private static boolean ascii(byte[] d, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (d[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long le32(byte[] d, int at) {
        return (d[at] & 0xffL) | (d[at + 1] & 0xffL) << 8 | (d[at + 2] & 0xffL) << 16 | (d[at + 3] & 0xffL) << 24;
    }

    private static Map<String, Object> formatFields(AudioFormat format) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("sample_rate", Math.round(format.getSampleRate()));
        fields.put("channels", format.getChannels());
        fields.put("bits", format.getSampleSizeInBits());
        return fields;
    }
}
