package io.amocrmetl.marts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small charts for the notebooks, drawn with Java2D (the JDK's own; no plotting library is allowed
 * in, and the Java kernel shows a {@link BufferedImage} as a PNG output that GitHub renders):
 * vertical bars (grouped or stacked), horizontal bars (funnels, names on the left), and lines.
 */
public final class Chart {
    /** How the series are drawn. */
    public enum Type {
        BARS,
        STACKED_BARS,
        HORIZONTAL_BARS,
        LINES
    }

    private static final Color[] PALETTE = {
        new Color(0x4C78A8),
        new Color(0xF58518),
        new Color(0x54A24B),
        new Color(0xE45756),
        new Color(0x72B7B2),
        new Color(0xB279A2),
        new Color(0xFF9DA6),
        new Color(0x9D755D)
    };
    private final Type type;
    private final String title;
    private List<String> categories = List.of();
    private final Map<String, List<Double>> series = new LinkedHashMap<>();
    private int width = 900;
    private int height = 420;

    private Chart(Type type, String title) {
        this.type = type;
        this.title = title;
    }

    public static Chart of(Type type, String title) {
        return new Chart(type, title);
    }

    /** The labels along the category axis, one per value of each series. */
    public Chart categories(List<?> labels) {
        List<String> out = new ArrayList<>();
        labels.forEach(l -> out.add(String.valueOf(l)));
        this.categories = out;
        return this;
    }

    /** One series; nulls are drawn as 0 (bars) or a gap (lines). */
    public Chart series(String name, List<? extends Number> values) {
        if (values.size() != categories.size()) {
            throw new IllegalArgumentException(
                    "series '" + name + "' has " + values.size() + " values for " + categories.size() + " categories");
        }
        List<Double> v = new ArrayList<>();
        values.forEach(n -> v.add(n == null ? null : n.doubleValue()));
        series.put(name, v);
        return this;
    }

    public Chart size(int w, int h) {
        this.width = w;
        this.height = h;
        return this;
    }

    public BufferedImage render() {
        if (type == Type.HORIZONTAL_BARS) {
            height = Math.max(height, 80 + categories.size() * 26);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(new Color(0x222222));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, 16, 26);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            legend(g);
            if (type == Type.HORIZONTAL_BARS) {
                horizontal(g);
            } else {
                vertical(g);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private void legend(Graphics2D g) {
        int x = 16;
        for (int i = 0; i < series.size() && series.size() > 1; i++) {
            String name = new ArrayList<>(series.keySet()).get(i);
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fillRect(x, 38, 12, 12);
            g.setColor(Color.DARK_GRAY);
            g.drawString(name, x + 16, 49);
            x += 32 + g.getFontMetrics().stringWidth(name);
        }
    }

    private double max() {
        double max = 0;
        for (int c = 0; c < categories.size(); c++) {
            double stack = 0;
            for (List<Double> v : series.values()) {
                double x = v.get(c) == null ? 0 : v.get(c);
                stack += type == Type.STACKED_BARS ? x : 0;
                max = Math.max(max, type == Type.STACKED_BARS ? stack : x);
            }
        }
        return nice(max <= 0 ? 1 : max * 1.04);
    }

    /** The axis top: four gridline steps of 1, 2, 2.5 or 5 times a power of ten, reaching {@code max}. */
    static double nice(double max) {
        double raw = max / 4;
        double unit = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (unit * m >= raw) {
                return unit * m * 4;
            }
        }
        return unit * 40;
    }

    private void vertical(Graphics2D g) {
        FontMetrics fm = g.getFontMetrics();
        int left = 70;
        int top = 62;
        int bottom = height - 60;
        int right = width - 20;
        double max = max();
        axis(g, left, top, bottom, right, max, fm);
        int n = Math.max(1, categories.size());
        double slot = (right - left) / (double) n;
        int labelEvery = Math.max(1, (int) Math.ceil(n / ((right - left) / 70.0)));
        List<List<Double>> all = new ArrayList<>(series.values());
        for (int c = 0; c < categories.size(); c++) {
            double x0 = left + c * slot;
            double base = 0;
            for (int s = 0; s < all.size(); s++) {
                Double v = all.get(s).get(c);
                g.setColor(PALETTE[s % PALETTE.length]);
                if (type == Type.LINES) {
                    Double prev = c > 0 ? all.get(s).get(c - 1) : null;
                    if (v != null && prev != null) {
                        g.setStroke(new BasicStroke(2.2f));
                        g.drawLine(
                                (int) (x0 - slot / 2),
                                y(prev, max, top, bottom),
                                (int) (x0 + slot / 2),
                                y(v, max, top, bottom));
                    }
                    if (v != null) {
                        g.fillOval((int) (x0 + slot / 2) - 3, y(v, max, top, bottom) - 3, 6, 6);
                    }
                } else {
                    double val = v == null ? 0 : v;
                    double w = type == Type.STACKED_BARS ? slot * 0.7 : slot * 0.8 / all.size();
                    double x = type == Type.STACKED_BARS ? x0 + slot * 0.15 : x0 + slot * 0.1 + s * w;
                    int yTop = y(base + val, max, top, bottom);
                    int yBase = y(base, max, top, bottom);
                    g.fillRect((int) x, yTop, Math.max(1, (int) w - 1), Math.max(0, yBase - yTop));
                    base += type == Type.STACKED_BARS ? val : 0;
                }
            }
            if (c % labelEvery == 0) {
                g.setColor(Color.DARK_GRAY);
                String label = fit(categories.get(c), (int) (slot * labelEvery) - 4, fm);
                g.drawString(label, (int) (x0 + slot / 2 - fm.stringWidth(label) / 2.0), bottom + 16);
            }
        }
    }

    private void horizontal(Graphics2D g) {
        FontMetrics fm = g.getFontMetrics();
        int labels = Math.min(
                width / 3,
                20 + categories.stream().mapToInt(fm::stringWidth).max().orElse(0));
        int left = labels + 10;
        int top = 62;
        int right = width - 80;
        double max = max();
        double row = (height - top - 20) / (double) Math.max(1, categories.size());
        List<List<Double>> all = new ArrayList<>(series.values());
        for (int c = 0; c < categories.size(); c++) {
            int y0 = (int) (top + c * row);
            g.setColor(Color.DARK_GRAY);
            g.drawString(fit(categories.get(c), labels - 12, fm), 12, y0 + (int) (row / 2) + 4);
            double h = row * 0.8 / all.size();
            for (int s = 0; s < all.size(); s++) {
                double v = all.get(s).get(c) == null ? 0 : all.get(s).get(c);
                int w = (int) ((right - left) * v / max);
                g.setColor(PALETTE[s % PALETTE.length]);
                g.fillRect(left, (int) (y0 + row * 0.1 + s * h), Math.max(1, w), Math.max(1, (int) h - 1));
                g.setColor(Color.DARK_GRAY);
                g.drawString(number(v), left + w + 4, (int) (y0 + row * 0.1 + s * h + h / 2 + 4));
            }
        }
    }

    private void axis(Graphics2D g, int left, int top, int bottom, int right, double max, FontMetrics fm) {
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            int y = y(v, max, top, bottom);
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(left, y, right, y);
            g.setColor(Color.GRAY);
            String label = number(v);
            g.drawString(label, left - 6 - fm.stringWidth(label), y + 4);
        }
        g.setColor(Color.GRAY);
        g.drawLine(left, bottom, right, bottom);
    }

    private static int y(double v, double max, int top, int bottom) {
        return (int) Math.round(bottom - (bottom - top) * v / max);
    }

    /** 1234567 as "1.2M", 0.25 as "0.25": axis labels stay short. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        if (a >= 10 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fit(String s, int width, FontMetrics fm) {
        if (fm.stringWidth(s) <= width) {
            return s;
        }
        String out = s;
        while (out.length() > 1 && fm.stringWidth(out + "…") > width) {
            out = out.substring(0, out.length() - 1);
        }
        return out + "…";
    }
}
