package dev.blt.cli;

/** One {@code ./blt} subcommand: a JCommander parameter object that can run itself. */
public interface Command {
    /** The word after {@code ./blt}. */
    String name();

    /** Runs the command; returns the process exit code. Throw {@link UserError} for bad input. */
    int run() throws Exception;
}
