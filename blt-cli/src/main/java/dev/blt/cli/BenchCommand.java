package dev.blt.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dev.blt.model.LMTransformer;
import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import dev.blt.model.NativeThreads;
import dev.blt.model.Output;
import dev.blt.model.Precision;
import dev.blt.model.SequenceScorer;
import dev.blt.options.IngestParameters;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleConsumer;
import java.util.stream.Collectors;

/**
 * {@code ./blt bench}: forward throughput of the entropy model on random weights (no downloads), or with
 * {@code --train} that of training steps.
 */
@Parameters(commandDescription = "Measure forward (or, with --train, training) tokens/s, GFLOP/s and peak RSS on "
        + "random weights; last line is tokens_per_second=<median>")
public final class BenchCommand implements Command, HelpOption {
    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @Parameter(names = "--preset", description = "released (768x14, window 512) or default (the model in weights/)")
    private String preset = "released";

    @Parameter(names = "--model-config", description = "A model config JSON (upstream params/args) to measure instead "
            + "of a preset")
    private Path modelConfig;

    @Parameter(names = "--seq", description = "Tokens per sequence")
    private int seq = 1024;

    @Parameter(names = "--train", description = "Time training steps instead of forwards: forward, loss, backward, "
            + "gradient clipping and AdamW update, as ./blt train runs them (float32, upstream's optimizer settings)")
    private boolean train;

    @Parameter(names = "--batch", description = "Sequences per forward (per training step with --train)")
    private int batch = 1;

    @Parameter(names = "--threads", description = "Threads for ND4J's ops and BLAS")
    private int threads = 2;

    @Parameter(names = "--streams", description = "Threads scoring separate sequences of the batch at once, "
            + "--threads shared among them")
    private int streams = 1;

    @Parameter(names = "--runs", description = "Timed runs (the median is reported)")
    private int runs = 5;

    // forward: two, the JIT compiler and oneDNN's kernel generation are still at work during the first full run;
    // training: one, its steps are long
    @Parameter(names = "--warmup", description = "Untimed runs first (default 2; 1 with --train)")
    private Integer warmup;

    @Parameter(names = "--chunk", description = "Tokens per row per forward call (" + IngestParameters.CHUNK_DEFAULT + ")")
    private Integer chunk;

    @Parameter(names = "--precision", description = PrecisionOption.HELP + " (forward only)")
    private String precision = "float32";

    @Parameter(names = "--paced", description = "After the warm-up print 'ready', then run once per line read from "
            + "stdin, printing seconds=<s> after each, until end of input (for bench/side_by_side.py); --runs is ignored")
    private boolean paced;

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public boolean help() {
        return help;
    }

    /** The released model's config, or that of the default model shipped in weights/ (read from its metadata). */
    static ModelConfig preset(String name) throws IOException {
        return switch (name) {
            case "released" -> ModelConfig.released();
            case "default" -> {
                Path w = ModelOptions.defaultWeights();
                ModelConfig c = java.nio.file.Files.isRegularFile(w) ? ModelWeights.storedConfig(w, Main::warn) : null;
                if (c == null) {
                    throw new UserError(w + ": no default model with a stored config is installed");
                }
                yield c;
            }
            default -> throw new UserError("--preset must be released or default, not '" + name + "'");
        };
    }

    @Override
    public int run() throws IOException {
        if (seq < 1 || batch < 1 || runs < 1 || threads < 1 || streams < 1 || (warmup != null && warmup < 0)) {
            throw new UserError("--seq, --batch, --runs, --threads and --streams must be positive, --warmup not negative");
        }
        if (train && (streams != 1 || chunk != null)) {
            throw new UserError("--streams and --chunk apply to the forward bench, not to --train");
        }
        Precision p = PrecisionOption.parse(precision);
        if (train && p != Precision.FLOAT32) {
            throw new UserError("--precision applies to the forward bench; training runs in float32");
        }
        ModelConfig c = modelConfig != null ? ModelConfig.load(modelConfig, Main::warn) : preset(preset);
        String label = modelConfig != null ? modelConfig.toString() : preset;
        NativeThreads.set(threads);
        long t0 = System.nanoTime();
        if (train) {
            TrainingStep step = new TrainingStep(c, batch, seq, 1);
            System.err.printf("built %s training model (%,d parameters) in %.1f s%n", label, c.parameterCount(),
                    (System.nanoTime() - t0) / 1e9);
            List<double[]> timed = measure(step, warmup == null ? 1 : warmup);
            System.err.printf("loss of the last step: %.4f%n", step.loss());
            report(timed, String.format("preset=%s seq=%d batch=%d threads=%d mode=train", label, seq, batch, threads),
                    median -> System.out.println("step_seconds=" + timed.stream()
                            .map(t -> String.format("%.4f", t[0])).collect(Collectors.joining(","))));
            return 0;
        }
        try (LMTransformer model = LMTransformer.build(ModelWeights.random(c, 1), p);
             SequenceScorer scorer = new SequenceScorer(model, chunk, streams)) {
            int chunkSize = scorer.chunkFor(batch);
            System.err.printf("built %s model (%,d parameters) in %.1f s%n", label, c.parameterCount(),
                    (System.nanoTime() - t0) / 1e9);
            Random rnd = new Random(7);
            List<int[]> docs = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                int[] t = new int[seq];
                for (int i = 0; i < seq; i++) {
                    t[i] = i == 0 ? 1 : 4 + rnd.nextInt(256);
                }
                docs.add(t);
            }
            List<double[]> timed = measure(() -> scorer.scoreBatch(docs, EnumSet.of(Output.ENTROPIES, Output.NORMS)),
                    warmup == null ? 2 : warmup);
            double flops = c.forwardFlops(seq, c.effectiveWindow()) * batch;
            report(timed, String.format("preset=%s seq=%d batch=%d threads=%d chunk=%d streams=%d precision=%s", label,
                    seq, batch, threads, chunkSize, streams, p), median -> {
                double gflops = flops / median / 1e9;
                double gemmPeak = gemmGflops(p == Precision.BF16 ? DataType.BFLOAT16 : DataType.FLOAT);
                System.out.printf("gflops_per_second=%.2f%n", gflops);
                System.out.printf("gemm_gflops_per_second=%.2f%n", gemmPeak);
                System.out.printf("fraction_of_gemm=%.2f%n", gflops / gemmPeak);
            });
        }
        return 0;
    }

    /**
     * Untimed warm-up runs of {@code work}, then the timed ones: {@code --runs} of them, or with {@code --paced} one
     * per line read from stdin (after printing {@code ready}), each followed by {@code seconds=<s>}. Returns
     * {wall seconds, process CPU seconds} per timed run.
     */
    private List<double[]> measure(Runnable work, int warmupRuns) throws IOException {
        for (int r = warmupRuns; r > 0; r--) {
            System.err.printf("warmup run %d: %.3f s%n", r, timedRun(work)[0]);
        }
        BufferedReader pace = paced ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)) : null;
        if (paced) {
            System.out.println("ready");
            System.out.flush();
        }
        List<double[]> timed = new ArrayList<>();
        while (paced ? pace.readLine() != null : timed.size() < runs) {
            double[] run = timedRun(work);
            timed.add(run);
            if (paced) {
                System.out.printf("seconds=%.6f%n", run[0]);
                System.out.flush();
            } else {
                System.err.printf("timed run %d: %.3f s%n", timed.size() - 1, run[0]);
            }
        }
        if (timed.isEmpty()) {
            throw new UserError("--paced: no run was asked for on stdin");
        }
        return timed;
    }

    /** The summary: the header line, the median, the mode's own lines, CPU time, peak RSS and, last, tokens/s. */
    private void report(List<double[]> timed, String header, DoubleConsumer modeLines) {
        double median = median(timed.stream().mapToDouble(t -> t[0]).toArray());
        System.out.println(header);
        System.out.printf("median_seconds=%.4f%n", median);
        modeLines.accept(median);
        // CPU time of all threads (native ones included): steadier than wall time on a shared machine
        System.out.printf("cpu_seconds_per_run=%.4f%n", median(timed.stream().mapToDouble(t -> t[1]).toArray()));
        System.out.printf("peak_rss_mb=%d%n", peakRssKb() / 1024);
        System.out.printf("tokens_per_second=%.2f%n", (double) seq * batch / median);
    }

    /**
     * This machine's practical ceiling: a GEMM of the size of the model's largest projections ([1024 x 768] @
     * [768 x 2048]), in {@code type} (float32, or bfloat16 for the bf16 mode), through ND4J's matmul op into a
     * c-order output, as the graph runs it, with the same threads and BLAS. ({@code INDArray.mmul} is not used: it
     * computes into a Fortran-order temporary and copies, which understates the rate.) The best of 15 runs: a
     * ceiling is what the machine can reach, and on a shared VM single runs vary widely.
     */
    private static double gemmGflops(DataType type) {
        try (INDArray a = Nd4j.rand(DataType.FLOAT, 1024, 768).castTo(type);
             INDArray b = Nd4j.rand(DataType.FLOAT, 768, 2048).castTo(type);
             INDArray c = Nd4j.create(type, 1024, 2048)) {
            Mmul op = new Mmul(a, b, c, null);
            double best = Double.MAX_VALUE;
            for (int r = -3; r < 15; r++) {
                long s = System.nanoTime();
                Nd4j.exec(op);
                if (r >= 0) {
                    best = Math.min(best, (System.nanoTime() - s) / 1e9);
                }
            }
            return 2.0 * 1024 * 768 * 2048 / best / 1e9;
        }
    }

    /** One run of {@code work}: {wall seconds, process CPU seconds}. */
    private static double[] timedRun(Runnable work) {
        System.gc(); // ND4J frees native buffers on GC; keep that out of the timed region
        long cpu = processCpuNanos();
        long s = System.nanoTime();
        work.run();
        return new double[]{(System.nanoTime() - s) / 1e9, (processCpuNanos() - cpu) / 1e9};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /** VmHWM from /proc (Linux); -1 elsewhere. */
    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
