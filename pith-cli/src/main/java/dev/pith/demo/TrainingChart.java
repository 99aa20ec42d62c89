package dev.pith.demo;

import dev.pith.PithIOException;
import dev.pith.io.AtomicFile;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * A PNG chart of a training run: the training loss per epoch on the left axis and the test
 * accuracy per epoch on the right axis, a legend, the target accuracy as a dotted line, and a
 * dashed marker where the run was interrupted and resumed. Drawn with Java2D (works headless).
 *
 * <pre>{@code
 * new TrainingChart("Digits CNN", loss, accuracy, 5, 0.95).writePng(Path.of("training.png"));
 * }</pre>
 */
public final class TrainingChart {
    static final int WIDTH = 960;
    static final int HEIGHT = 560;
    private static final Color LOSS = new Color(0x1F, 0x77, 0xB4);
    private static final Color ACCURACY = new Color(0xE4, 0x6C, 0x0A);
    private static final Color GRID = new Color(0xE6, 0xE6, 0xE6);
    private static final Color AXIS = new Color(0x44, 0x44, 0x44);
    private static final Color MUTED = new Color(0x77, 0x77, 0x77);
    private static final int LEFT = 88;
    private static final int RIGHT = 96;
    private static final int TOP = 78;
    private static final int BOTTOM = 72;

    private final String title;
    private final List<Double> loss;
    private final List<Double> accuracy;
    private final int resumedAfter;
    private final double target;

    /**
     * @param loss         training loss per epoch (epoch 1 first)
     * @param accuracy     test accuracy per epoch, as a fraction in [0, 1]
     * @param resumedAfter the epoch after which the run was interrupted and resumed; 0 for none
     * @param target       the accuracy to reach, drawn as a dotted line; NaN for none
     */
    public TrainingChart(String title, List<Double> loss, List<Double> accuracy, int resumedAfter, double target) {
        if (loss.isEmpty() || loss.size() != accuracy.size()) {
            throw new IllegalArgumentException("need one loss and one accuracy per epoch, got " + loss.size() + " and "
                    + accuracy.size());
        }
        this.title = title;
        this.loss = List.copyOf(loss);
        this.accuracy = List.copyOf(accuracy);
        this.resumedAfter = resumedAfter;
        this.target = target;
    }

    /** Writes the chart as a PNG, atomically. */
    public void writePng(Path file) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(render(), "png", bytes)) {
                throw new IOException("no PNG writer available");
            }
        } catch (IOException e) {
            throw PithIOException.of("write", file, e);
        }
        AtomicFile.write(file, channel -> channel.write(ByteBuffer.wrap(bytes.toByteArray())));
    }

    /** The chart as an image. */
    public BufferedImage render() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            draw(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    private void draw(Graphics2D g) {
        Rectangle2D plot = new Rectangle2D.Double(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        int epochs = loss.size();
        double lossMax = niceCeiling(loss.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).max().orElse(1));
        double accMin = accuracyFloor(accuracy.stream().mapToDouble(Double::doubleValue).min().orElse(0));
        DoubleUnaryOperator x = e -> epochs == 1 ? plot.getCenterX()
                : plot.getX() + 18 + (e - 1) * (plot.getWidth() - 36) / (epochs - 1);
        DoubleUnaryOperator yLoss = v -> plot.getMaxY() - v / lossMax * plot.getHeight();
        DoubleUnaryOperator yAcc = v -> plot.getMaxY() - (v - accMin) / (1 - accMin) * plot.getHeight();

        g.setFont(font(Font.BOLD, 20));
        g.setColor(AXIS);
        g.drawString(title, LEFT, 36);
        g.setFont(font(Font.PLAIN, 13));
        g.setColor(MUTED);
        g.drawString("training loss and test accuracy per epoch", LEFT, 56);

        int ticks = 5;
        g.setFont(font(Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= ticks; i++) {
            double y = plot.getMaxY() - i * plot.getHeight() / ticks;
            g.setColor(GRID);
            g.setStroke(new BasicStroke(1f));
            g.draw(new Line2D.Double(plot.getX(), y, plot.getMaxX(), y));
            String left = format(lossMax * i / ticks, lossMax < 1 ? 2 : 1);
            g.setColor(LOSS);
            g.drawString(left, (int) plot.getX() - 8 - fm.stringWidth(left), (int) y + 4);
            String right = format(100 * (accMin + (1 - accMin) * i / ticks), 0) + "%";
            g.setColor(ACCURACY);
            g.drawString(right, (int) plot.getMaxX() + 8, (int) y + 4);
        }
        int step = Math.max(1, (int) Math.ceil(epochs / 20.0));
        g.setColor(AXIS);
        for (int e = 1; e <= epochs; e += step) {
            double px = x.applyAsDouble(e);
            g.draw(new Line2D.Double(px, plot.getMaxY(), px, plot.getMaxY() + 5));
            String label = Integer.toString(e);
            g.drawString(label, (int) (px - fm.stringWidth(label) / 2.0), (int) plot.getMaxY() + 20);
        }
        g.setStroke(new BasicStroke(1.2f));
        g.draw(new Line2D.Double(plot.getX(), plot.getMaxY(), plot.getMaxX(), plot.getMaxY()));
        g.setColor(LOSS);
        g.draw(new Line2D.Double(plot.getX(), plot.getY(), plot.getX(), plot.getMaxY()));
        g.setColor(ACCURACY);
        g.draw(new Line2D.Double(plot.getMaxX(), plot.getY(), plot.getMaxX(), plot.getMaxY()));

        g.setFont(font(Font.PLAIN, 13));
        g.setColor(AXIS);
        centered(g, "epoch", plot.getCenterX(), plot.getMaxY() + 46);
        rotated(g, "training loss", plot.getX() - 62, plot.getCenterY(), -Math.PI / 2, LOSS);
        rotated(g, "test accuracy", plot.getMaxX() + 66, plot.getCenterY(), Math.PI / 2, ACCURACY);

        if (Double.isFinite(target) && target > accMin && target < 1) {
            double y = yAcc.applyAsDouble(target);
            g.setColor(new Color(ACCURACY.getRed(), ACCURACY.getGreen(), ACCURACY.getBlue(), 110));
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{2f, 4f}, 0f));
            g.draw(new Line2D.Double(plot.getX(), y, plot.getMaxX(), y));
            g.setFont(font(Font.PLAIN, 11));
            String label = "target " + format(100 * target, 0) + "%";
            g.drawString(label, (int) plot.getMaxX() - 6 - g.getFontMetrics().stringWidth(label), (int) y - 5);
        }
        if (resumedAfter > 0 && resumedAfter < epochs) {
            double px = (x.applyAsDouble(resumedAfter) + x.applyAsDouble(resumedAfter + 1)) / 2;
            g.setColor(MUTED);
            g.setStroke(new BasicStroke(1.3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 5f}, 0f));
            g.draw(new Line2D.Double(px, plot.getY(), px, plot.getMaxY()));
            g.setFont(font(Font.PLAIN, 12));
            centered(g, "interrupted after epoch " + resumedAfter + ", resumed", px, plot.getY() - 8);
        }

        series(g, loss, x, yLoss, LOSS, false);
        series(g, accuracy, x, yAcc, ACCURACY, true);
        legend(g, plot);
    }

    private static void series(Graphics2D g, List<Double> values, DoubleUnaryOperator x, DoubleUnaryOperator y,
                               Color color, boolean squares) {
        Path2D.Double line = new Path2D.Double();
        for (int i = 0; i < values.size(); i++) {
            double px = x.applyAsDouble(i + 1);
            double py = y.applyAsDouble(values.get(i));
            if (i == 0) {
                line.moveTo(px, py);
            } else {
                line.lineTo(px, py);
            }
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(2.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(line);
        for (int i = 0; i < values.size(); i++) {
            marker(g, x.applyAsDouble(i + 1), y.applyAsDouble(values.get(i)), color, squares);
        }
    }

    private static void marker(Graphics2D g, double px, double py, Color color, boolean square) {
        double r = 4.5;
        Shape shape = square ? new Rectangle2D.Double(px - r, py - r, 2 * r, 2 * r)
                : new Ellipse2D.Double(px - r, py - r, 2 * r, 2 * r);
        g.setColor(Color.WHITE);
        g.fill(shape);
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        g.draw(shape);
    }

    private static void legend(Graphics2D g, Rectangle2D plot) {
        g.setFont(font(Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        String[] labels = {"training loss", "test accuracy"};
        Color[] colors = {LOSS, ACCURACY};
        int width = 44 + Math.max(fm.stringWidth(labels[0]), fm.stringWidth(labels[1])) + 12;
        int height = 52;
        double bx = plot.getMaxX() - width - 14;
        double by = plot.getY() + plot.getHeight() / 2 - height / 2.0;
        g.setColor(new Color(255, 255, 255, 230));
        g.fill(new Rectangle2D.Double(bx, by, width, height));
        g.setColor(GRID.darker());
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(bx, by, width, height));
        for (int i = 0; i < 2; i++) {
            double cy = by + 16 + i * 21;
            g.setColor(colors[i]);
            g.setStroke(new BasicStroke(2.4f));
            g.draw(new Line2D.Double(bx + 10, cy, bx + 34, cy));
            marker(g, bx + 22, cy, colors[i], i == 1);
            g.setColor(AXIS);
            g.drawString(labels[i], (float) (bx + 44), (float) (cy + 5));
        }
    }

    private static void centered(Graphics2D g, String text, double cx, double baseline) {
        g.drawString(text, (float) (cx - g.getFontMetrics().stringWidth(text) / 2.0), (float) baseline);
    }

    private static void rotated(Graphics2D g, String text, double cx, double cy, double angle, Color color) {
        AffineTransform saved = g.getTransform();
        g.translate(cx, cy);
        g.rotate(angle);
        g.setColor(color);
        centered(g, text, 0, 5);
        g.setTransform(saved);
    }

    /** The bottom of the accuracy axis: 90%, 75%, 50% or 0%, the highest at or below {@code lowest}, so that ticks are round. */
    static double accuracyFloor(double lowest) {
        for (double floor : new double[]{0.9, 0.75, 0.5}) {
            if (lowest >= floor) {
                return floor;
            }
        }
        return 0;
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code v}. */
    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= v * (1 - 1e-12)) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static Font font(int style, int size) {
        return new Font(Font.SANS_SERIF, style, size);
    }

    private static String format(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
