package dev.blt.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import dev.blt.cli.sphere.PipelineCommand;
import dev.blt.cli.sphere.SphereCommand;
import dev.blt.cli.sphere.WaterfillCommand;

import dev.blt.data.io.OutputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Entry point of {@code ./blt}: parses the subcommand and maps failures to one-line messages and exit codes. */
public final class Main {
    /** Exit code for bad input (options, files). */
    public static final int EXIT_USAGE = 2;
    /** Exit code for an unexpected internal failure. */
    public static final int EXIT_INTERNAL = 3;
    /** Outputs could not be written (full disk, no permission): free room or fix the folder, then resume. */
    public static final int EXIT_OUTPUT = 4;

    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help, or a command's help after its name")
    private boolean help;

    private static List<Command> commands() {
        return List.of(new IngestCommand(), new EntropyCommand(), new PretokenizeCommand(), new WaterfillCommand(),
                new SphereCommand(), new PipelineCommand(), new TrainCommand(), new FinetuneCommand(), new EvalCommand(), new BenchCommand(),
                new ConvertCommand(), new WeightsCommand());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        Main main = new Main();
        List<Command> commands = commands();
        JCommander.Builder builder = JCommander.newBuilder().addObject(main).programName("./blt");
        for (Command c : commands) {
            builder.addCommand(c.name(), c);
        }
        JCommander jc = builder.build();
        try {
            jc.parse(args);
        } catch (ParameterException e) {
            System.err.println("blt: " + e.getMessage());
            String cmd = jc.getParsedCommand();
            System.err.println("Run './blt " + (cmd == null ? "" : cmd + " ") + "--help' for usage.");
            return EXIT_USAGE;
        }
        String name = jc.getParsedCommand();
        if (name == null) {
            printCommands(commands);
            return main.help ? 0 : EXIT_USAGE;
        }
        Command command = commands.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
        JCommander sub = jc.getCommands().get(name);
        if (main.help || wantsHelp(command)) {
            sub.usage();
            return 0;
        }
        try {
            return command.run();
        } catch (UserError e) {
            System.err.println("blt " + name + ": " + e.getMessage());
            return EXIT_USAGE;
        } catch (OutputException e) {
            System.err.println("blt " + name + ": " + e.getMessage() + " (free room or fix the folder, then run again"
                    + " with --resume where the command has it)");
            return EXIT_OUTPUT;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            System.err.println("blt " + name + ": " + e.getMessage());
            return EXIT_USAGE;
        } catch (Exception e) {
            System.err.println("blt " + name + ": internal error: " + e);
            e.printStackTrace();
            return EXIT_INTERNAL;
        }
    }

    /** The command list; each command's options are in {@code ./blt <command> --help}. */
    private static void printCommands(List<Command> commands) {
        StringBuilder b = new StringBuilder("Usage: ./blt <command> [options]   (./blt <command> --help for its options)\n\nCommands:\n");
        for (Command c : commands) {
            com.beust.jcommander.Parameters p = c.getClass().getAnnotation(com.beust.jcommander.Parameters.class);
            b.append(String.format("  %-15s %s%n", c.name(), p == null ? "" : p.commandDescription()));
        }
        // run by the launcher on blt-spark's own class path (Spark pins an older Jackson), so not registered here
        b.append(String.format("  %-15s %s%n", "spark-ingest", "The ingest as an Apache Spark job (local[N] or a cluster); same outputs as ingest"));
        b.append(String.format("  %-15s %s%n", "spark-waterfill", "The global exact-capacity water-fill of all ingest outputs as a Spark job"));
        System.out.print(b);
    }

    /** Warnings go to stderr, one line each, so stdout stays machine-readable. */
    public static void warn(String message) {
        System.err.println("blt: warning: " + message);
    }

    private static boolean wantsHelp(Command c) {
        return c instanceof HelpOption h && h.help();
    }
}
