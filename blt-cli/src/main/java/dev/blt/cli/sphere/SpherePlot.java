package dev.blt.cli.sphere;

import dev.blt.data.io.AtomicFiles;
import dev.blt.waterfill.inspect.Inspection;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One PNG per inspected file, headed by the file's name, with three panels the printed summary cannot show:
 * occupancy per shell coloured by how it meets the capacity (where the fill misses), a 2-D histogram of prominence against radius (how
 * prominence spreads inside each shell, which one rank correlation hides), and the 3-D points projected on x-y,
 * coloured by radius (how the shells lie). Point panels use at most {@value #MAX_POINTS} points (an even subsample).
 */
final class SpherePlot {
    static final int MAX_POINTS = 20_000;
    static final int PANEL_W = 600;
    static final int PANEL_H = 540;
    static final int HEADER_H = 36;
    private static final int BINS = 48;

    private SpherePlot() {
    }

    static void write(Inspection in, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        JFreeChart[] charts = {occupancy(in), prominenceByRadius(in), projection(in)};
        BufferedImage img = new BufferedImage(PANEL_W * charts.length, HEADER_H + PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), HEADER_H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("sphere inspect: " + in.file(), 12, 24);
        for (int c = 0; c < charts.length; c++) {
            charts[c].draw(g, new Rectangle(c * PANEL_W, HEADER_H, PANEL_W, PANEL_H));
        }
        g.dispose();
        Path dir = png.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException(png + ": no PNG encoder available");
            }
        });
    }

    /** Points per shell as bars coloured by how they meet the capacity (drawn as a line): where the fill misses. */
    private static JFreeChart occupancy(Inspection in) {
        long[] counts = in.shells().counts();
        double[] cap = in.shells().capacity();
        XYSeries s = new XYSeries("points");
        for (int k = 0; k < counts.length; k++) {
            s.add(k, counts[k]);
        }
        String title = cap == null ? "Points per shell (no capacities stored)"
                : String.format("Occupancy vs capacity (max |dev| %.2f)", in.shells().maxDeviation());
        JFreeChart chart = ChartFactory.createXYBarChart(title, "shell", false, "points",
                new XYSeriesCollection(s), PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        XYBarRenderer bars = new XYBarRenderer() {
            @Override
            public Paint getItemPaint(int series, int item) {
                if (cap == null) {
                    return new Color(30, 90, 200);
                }
                double dev = counts[item] - (item < cap.length ? cap[item] : 0);
                return dev > 0.5 ? new Color(200, 50, 40) : dev < -0.5 ? new Color(230, 150, 20) : new Color(40, 150, 70);
            }
        };
        bars.setShadowVisible(false);
        bars.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        plot.setRenderer(bars);
        if (cap != null) {
            XYSeries capacity = new XYSeries("capacity");
            for (int k = 0; k < cap.length; k++) {
                capacity.add(k, cap[k]);
            }
            plot.setDataset(1, new XYSeriesCollection(capacity));
            XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
            line.setSeriesPaint(0, Color.BLACK);
            plot.setRenderer(1, line);
            chart.addSubtitle(new TextTitle("bars: green at capacity, red over, orange under; line: capacity"));
        }
        return chart;
    }

    /** Counts of points per (radius, prominence) cell, on a log colour scale. */
    private static JFreeChart prominenceByRadius(Inspection in) {
        float[] r = in.radii();
        float[] p = in.prominence();
        if (p == null) {
            return ChartFactory.createScatterPlot("Prominence vs radius (no prominence stored)", "radius",
                    "prominence", new XYSeriesCollection(), PlotOrientation.VERTICAL, false, false, false);
        }
        double[] rr = range(r);
        double[] pr = range(p);
        double rw = (rr[1] - rr[0]) / BINS;
        double pw = (pr[1] - pr[0]) / BINS;
        long[][] cells = new long[BINS][BINS];
        for (int i = 0; i < r.length; i++) {
            cells[bin(r[i], rr[0], rw)][bin(p[i], pr[0], pw)]++;
        }
        int n = 0;
        for (long[] col : cells) {
            for (long c : col) {
                n += c > 0 ? 1 : 0;
            }
        }
        double[][] xyz = new double[3][n];
        long max = 1;
        int j = 0;
        for (int a = 0; a < BINS; a++) {
            for (int b = 0; b < BINS; b++) {
                if (cells[a][b] > 0) {
                    xyz[0][j] = rr[0] + (a + 0.5) * rw;
                    xyz[1][j] = pr[0] + (b + 0.5) * pw;
                    xyz[2][j] = Math.log10(cells[a][b]);
                    max = Math.max(max, cells[a][b]);
                    j++;
                }
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("cells", xyz);
        double top = Math.max(Math.log10(max), 0.01);
        LookupPaintScale scale = new LookupPaintScale(0, top + 1e-9, Color.LIGHT_GRAY);
        for (int k = 0; k < 16; k++) {
            scale.add(top * k / 16, ramp(k / 15.0));
        }
        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setBlockWidth(rw);
        blocks.setBlockHeight(pw);
        blocks.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, new NumberAxis("radius"), new NumberAxis("prominence"), blocks);
        plot.setBackgroundPaint(Color.WHITE);
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        JFreeChart chart = new JFreeChart(String.format("Prominence by radius (spearman %s)",
                Double.isNaN(in.spearman()) ? "n/a" : String.format("%.3f", in.spearman())),
                JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        PaintScaleLegend legend = new PaintScaleLegend(scale, new NumberAxis("log10 points per cell"));
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 4, 4);
        chart.addSubtitle(legend);
        return chart;
    }

    /** x-y projection of the 3-D view, each point coloured by its radius (inner shells dark, outer bright). */
    private static JFreeChart projection(Inspection in) {
        XYSeries s = new XYSeries("points", false, true);
        float[] xyz = in.cartesian();
        float[] r = in.radii();
        double[] rr = range(r);
        int n = xyz == null ? 0 : Math.min(xyz.length / 3, r.length);
        int step = Math.max(1, n / MAX_POINTS);
        int[] radiusOf = new int[(n + step - 1) / step];
        for (int i = 0, k = 0; i < n; i += step, k++) {
            s.add(xyz[3 * i], xyz[3 * i + 1]);
            radiusOf[k] = i;
        }
        JFreeChart chart = ChartFactory.createScatterPlot(xyz == null ? "3-D view (not stored)"
                        : "3-D points, x-y, coloured by radius", "x", "y", new XYSeriesCollection(s),
                PlotOrientation.VERTICAL, false, false, false);
        double span = Math.max(rr[1] - rr[0], 1e-12);
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true) {
            @Override
            public Paint getItemPaint(int series, int item) {
                return ramp((r[radiusOf[item]] - rr[0]) / span);
            }
        };
        dots.setSeriesShape(0, new Ellipse2D.Double(-1.5, -1.5, 3, 3));
        chart.getXYPlot().setRenderer(dots);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(String.format("radius %.3g (dark) to %.3g (bright)",
                rr[0], rr[1])));
        return chart;
    }

    private static double[] range(float[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        return new double[]{lo, hi};
    }

    private static int bin(double v, double lo, double width) {
        return Math.min(BINS - 1, Math.max(0, (int) ((v - lo) / width)));
    }

    /** Dark blue through teal to yellow, readable on white and in grey. */
    private static Color ramp(double t) {
        t = Math.max(0, Math.min(1, t));
        return new Color((int) (30 + 220 * t * t), (int) (20 + 200 * t), (int) (110 + 60 * t - 150 * t * t));
    }
}
