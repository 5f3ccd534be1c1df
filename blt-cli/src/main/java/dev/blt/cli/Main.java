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
import java.util.ArrayList;
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

    @Parameter(names = "--version", help = true, description = "Show the versions, the BLAS in use and the CPU's features")
    private boolean version;

    /** The launcher's own commands (see printCommands), known here for suggestions. */
    private static final List<String> LAUNCHER_COMMANDS = List.of("spark-ingest", "spark-waterfill");

    private static List<Command> commands() {
        return List.of(new IngestCommand(), new EntropyCommand(), new PretokenizeCommand(), new WaterfillCommand(),
                new SphereCommand(), new PipelineCommand(), new TrainCommand(), new FinetuneCommand(), new EvalCommand(), new BenchCommand(),
                new ConvertCommand(), new WeightsCommand());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        args = helpSynonym(args);
        Main main = new Main();
        List<Command> commands = commands();
        JCommander.Builder builder = JCommander.newBuilder().addObject(main).programName("./blt");
        for (Command c : commands) {
            builder.addCommand(c.name(), c);
        }
        JCommander jc = builder.build();
        // JCommander lists the top level's options only once they are described, which parse() would do too late
        jc.createDescriptions();
        String typo = typo(jc, List.of(args));
        if (typo != null) {
            System.err.println("blt: " + typo);
            return EXIT_USAGE;
        }
        try {
            jc.parse(args);
        } catch (ParameterException e) {
            System.err.println("blt: " + e.getMessage());
            String cmd = jc.getParsedCommand();
            System.err.println("Run './blt " + (cmd == null ? "" : cmd + " ") + "--help' for usage.");
            return EXIT_USAGE;
        }
        String name = jc.getParsedCommand();
        if (main.version) {
            System.out.print(VersionInfo.text());
            return 0;
        }
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
        } catch (UncheckedIOException e) {
            System.err.println("blt " + name + ": " + e.getCause().getMessage());
            return EXIT_USAGE;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("blt " + name + ": " + e.getMessage());
            return EXIT_USAGE;
        } catch (Exception e) {
            System.err.println("blt " + name + ": internal error: " + e);
            e.printStackTrace();
            return EXIT_INTERNAL;
        }
    }

    /**
     * {@code ./blt help [command]}, the form some users try first, and {@code ./blt --help command} both mean
     * {@code ./blt command --help}: asked after the command, JCommander waives the command's required options.
     */
    private static String[] helpSynonym(String[] args) {
        if (args.length == 0 || !(args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h"))) {
            return args;
        }
        if (args.length == 1 || Typos.looksLikeOption(args[1])) {
            String[] out = args.clone();
            out[0] = "--help";
            return out;
        }
        List<String> out = new ArrayList<>(List.of(args[1], "--help"));
        out.addAll(List.of(args).subList(2, args.length));
        return out.toArray(new String[0]);
    }

    /**
     * A one-line answer to an unknown command or option, naming the nearest valid one, or null when the words are
     * known; the rest of the checking is JCommander's.
     */
    private static String typo(JCommander jc, List<String> args) {
        List<String> mainOptions = Typos.optionNames(jc);
        int i = 0;
        while (i < args.size() && mainOptions.contains(args.get(i))) {
            i++;
        }
        if (i == args.size()) {
            return null;
        }
        String word = args.get(i);
        if (Typos.looksLikeOption(word)) {
            return "unknown option " + word + suggestion(word, mainOptions, "./blt --help lists the commands");
        }
        if (LAUNCHER_COMMANDS.contains(word)) {
            return word + " runs from the ./blt launcher, first on its command line (./blt " + word + " --help)";
        }
        JCommander command = jc.getCommands().get(word);
        if (command == null) {
            List<String> names = new ArrayList<>(jc.getCommands().keySet());
            names.addAll(LAUNCHER_COMMANDS);
            names.add("help");
            String near = Typos.nearest(word, names);
            return "unknown command '" + word + "'" + (near == null ? "" : "; did you mean '" + near + "'?")
                    + " (./blt --help lists them)";
        }
        String option = Typos.unknownOption(command, args.subList(i + 1, args.size()));
        if (option == null) {
            return null;
        }
        return "unknown option " + option + " for " + word
                + suggestion(option, Typos.optionNames(command), "./blt " + word + " --help lists them");
    }

    private static String suggestion(String typed, List<String> names, String otherwise) {
        String near = Typos.nearest(typed, names);
        return near == null ? " (" + otherwise + ")" : "; did you mean " + near + "?";
    }

    /** The command list; each command's options are in {@code ./blt <command> --help}. */
    private static void printCommands(List<Command> commands) {
        StringBuilder b = new StringBuilder("Usage: ./blt <command> [options]   (./blt help <command> for its options;"
                + " ./blt --version for versions, BLAS and CPU)\n\nCommands:\n");
        for (Command c : commands) {
            com.beust.jcommander.Parameters p = c.getClass().getAnnotation(com.beust.jcommander.Parameters.class);
            b.append(String.format("  %-15s %s%n", c.name(), p == null ? "" : p.commandDescription()));
        }
        // run by the launcher on blt-spark's own class path (Spark pins an older Jackson), so not registered here
        b.append(String.format("  %-15s %s%n", LAUNCHER_COMMANDS.get(0), "The ingest as an Apache Spark job (local[N] or a cluster); same outputs as ingest"));
        b.append(String.format("  %-15s %s%n", LAUNCHER_COMMANDS.get(1), "The global exact-capacity water-fill of all ingest outputs as a Spark job"));
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
