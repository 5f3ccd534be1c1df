package dev.blt.cli.sphere;

import dev.blt.data.io.AtomicFiles;
import dev.blt.waterfill.inspect.Inspection;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Three charts side by side in one PNG: shell occupancy (bars) against capacity (line), radius against prominence,
 * and the 3-D points projected on the x-y plane. Scatter plots show at most {@value #MAX_POINTS} points (an even
 * subsample) so large files stay readable and fast.
 */
final class SpherePlot {
    static final int MAX_POINTS = 20_000;
    private static final int PANEL_W = 600;
    private static final int PANEL_H = 540;

    private SpherePlot() {
    }

    static void write(Inspection in, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        JFreeChart[] charts = {occupancy(in), radiusVsProminence(in), projection(in)};
        BufferedImage img = new BufferedImage(PANEL_W * charts.length, PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int c = 0; c < charts.length; c++) {
            charts[c].draw(g, new Rectangle(c * PANEL_W, 0, PANEL_W, PANEL_H));
        }
        g.dispose();
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException(png + ": no PNG encoder available");
            }
        });
    }

    private static JFreeChart occupancy(Inspection in) {
        XYSeries counts = new XYSeries("points");
        long[] h = in.shells().counts();
        for (int k = 0; k < h.length; k++) {
            counts.add(k, h[k]);
        }
        JFreeChart chart = ChartFactory.createXYBarChart("Shell occupancy", "shell", false, "points",
                new XYSeriesCollection(counts), PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.getRenderer().setSeriesPaint(0, new Color(30, 90, 200));
        double[] cap = in.shells().capacity();
        if (cap != null) {
            XYSeries capacity = new XYSeries("capacity");
            for (int k = 0; k < cap.length; k++) {
                capacity.add(k, cap[k]);
            }
            plot.setDataset(1, new XYSeriesCollection(capacity));
            XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
            line.setSeriesPaint(0, Color.BLACK);
            plot.setRenderer(1, line);
        }
        return chart;
    }

    private static JFreeChart radiusVsProminence(Inspection in) {
        XYSeries s = new XYSeries("points", false, true);
        float[] r = in.radii();
        float[] p = in.prominence();
        if (p != null) {
            int step = Math.max(1, r.length / MAX_POINTS);
            for (int i = 0; i < r.length; i += step) {
                s.add(p[i], r[i]);
            }
        }
        String title = String.format("Radius vs prominence (spearman %s)",
                Double.isNaN(in.spearman()) ? "n/a" : String.format("%.3f", in.spearman()));
        return scatter(title, "prominence", "radius", s);
    }

    private static JFreeChart projection(Inspection in) {
        XYSeries s = new XYSeries("points", false, true);
        float[] xyz = in.cartesian();
        if (xyz != null) {
            int n = xyz.length / 3;
            int step = Math.max(1, n / MAX_POINTS);
            for (int i = 0; i < n; i += step) {
                s.add(xyz[3 * i], xyz[3 * i + 1]);
            }
        }
        return scatter("3-D points, x-y projection", "x", "y", s);
    }

    private static JFreeChart scatter(String title, String x, String y, XYSeries s) {
        JFreeChart chart = ChartFactory.createScatterPlot(title, x, y, new XYSeriesCollection(s),
                PlotOrientation.VERTICAL, false, false, false);
        XYLineAndShapeRenderer dots = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
        dots.setSeriesShape(0, new Ellipse2D.Double(-1.5, -1.5, 3, 3));
        dots.setSeriesPaint(0, new Color(30, 90, 200, 120));
        return chart;
    }
}
