package dev.blt.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code weights/prepare_mix.py}'s HTML-to-text step, which writes the default model's prose (training and held out),
 * on a page written by hand: paragraphs reflowed onto lines of their own, a preformatted listing kept line for line.
 */
class PrepareMixTest {
    private static final Path WEIGHTS = Path.of("..", "weights").toAbsolutePath().normalize();

    @Test
    void htmlTextKeepsPreformattedLinesAndReflowsParagraphs(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("page.html");
        Files.writeString(page, """
                <html><head><title>Chapter 4</title><style>p { margin: 0 }</style></head><body>
                <p>Here is the control
                   file   dh_make created:</p>
                <pre class="screen">
                 1 Source: gentoo
                 2 Section: x11

                $ dpkg -i\tgentoo.deb \s
                </pre>
                <p>(I've added <code>line</code> numbers.)</p><script>var x = 1;</script>
                </body></html>
                """);
        String expected = "Chapter 4\n\nHere is the control file dh_make created:\n\n"
                + " 1 Source: gentoo\n 2 Section: x11\n\n$ dpkg -i       gentoo.deb\n\n"
                + "(I've added line numbers.)\n";
        assertEquals(expected, htmlText(page));
    }

    private static String htmlText(Path page) throws IOException, InterruptedException {
        String script = "import sys; sys.path.insert(0, sys.argv[1]); import prepare_mix; "
                + "sys.stdout.write(prepare_mix.html_text(open(sys.argv[2], encoding='utf-8').read()))";
        Python.Result r = Python.run(page.getParent(), Duration.ofMinutes(1), "-B", "-c", script, WEIGHTS.toString(),
                page.toString());
        assertEquals(0, r.exit(), r.err());
        return r.out();
    }
}
