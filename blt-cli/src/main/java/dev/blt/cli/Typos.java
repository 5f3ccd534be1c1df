package dev.blt.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterDescription;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds a mistyped command or option before JCommander does: JCommander reports an unknown option as a "main
 * parameter", in its own terms, and a command that takes file names would even take the option for a file.
 */
final class Typos {
    private Typos() {
    }

    /**
     * The first argument that looks like an option but is none of {@code command}'s, or null. The values of known
     * options are skipped, so a value that starts with '-' (a negative number, a text) is not taken for an option.
     */
    static String unknownOption(JCommander command, List<String> args) {
        Map<String, ParameterDescription> known = options(command);
        int i = 0;
        while (i < args.size()) {
            String a = args.get(i++);
            ParameterDescription p = known.get(a);
            if (p == null) {
                if (looksLikeOption(a)) {
                    return a;
                }
            } else if (p.getParameter().variableArity()) {
                // JCommander takes values up to the next option; an unknown one there is reported, not swallowed
                while (i < args.size() && !looksLikeOption(args.get(i))) {
                    i++;
                }
            } else {
                i += arity(p);
            }
        }
        return null;
    }

    /** Every name of every option of {@code command} (its delegates' included), in declaration order. */
    static List<String> optionNames(JCommander command) {
        return new ArrayList<>(options(command).keySet());
    }

    private static Map<String, ParameterDescription> options(JCommander command) {
        Map<String, ParameterDescription> byName = new LinkedHashMap<>();
        for (ParameterDescription d : command.getParameters()) {
            for (String n : d.getParameter().names()) {
                byName.put(n, d);
            }
        }
        return byName;
    }

    private static int arity(ParameterDescription d) {
        if (d.getParameter().arity() >= 0) {
            return d.getParameter().arity();
        }
        Class<?> type = d.getParameterized().getType();
        // JCommander's rule: a boolean without an arity is a flag
        return type == boolean.class || type == Boolean.class ? 0 : 1;
    }

    /** A dash and a letter (or a second dash): "-5" and "-0.5" are values, "-" alone means standard input. */
    static boolean looksLikeOption(String a) {
        return a.length() > 1 && a.charAt(0) == '-' && !Character.isDigit(a.charAt(1)) && a.charAt(1) != '.';
    }

    /**
     * The candidate nearest to {@code typed}, or null when none is close enough to be what was meant: up to one
     * edit per three characters (at least one, at most three), dashes and case ignored.
     */
    static String nearest(String typed, Collection<String> candidates) {
        String t = core(typed);
        int allowed = Math.max(1, Math.min(3, t.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(t, core(c));
            if (d <= allowed && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    private static String core(String name) {
        int i = 0;
        while (i < name.length() && name.charAt(i) == '-') {
            i++;
        }
        return name.substring(i).toLowerCase(Locale.ROOT);
    }

    /**
     * Edits (insert, delete, replace, or swap two neighbouring characters) that turn {@code a} into {@code b}: the
     * optimal-string-alignment form of Damerau-Levenshtein, since swapped letters are the commonest typo.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
