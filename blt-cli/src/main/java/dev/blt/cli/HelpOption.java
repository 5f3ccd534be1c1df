package dev.blt.cli;

/** Commands that accept {@code --help} after their name. */
public interface HelpOption {
    boolean help();
}
