package dev.sextant.server.experiments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A Pareto chart of runs: quality (higher is better) against a cost axis (lower is better), laid out
 * for server-side SVG. A run is dominated when another is at least as good on both axes and better on
 * one; the frontier joins the runs that are not.
 */
public record ParetoChart(String title, String xLabel, String yLabel, int width, int height, List<Point> points,
                          String frontier, List<Tick> xTicks, List<Tick> yTicks) {
    static final int WIDTH = 420;
    static final int HEIGHT = 260;
    static final int LEFT = 56;
    static final int RIGHT = 20;
    static final int TOP = 16;
    static final int BOTTOM = 44;

    /** A run on the chart; {@code cx}/{@code cy} are SVG coordinates. */
    public record Point(String runId, String label, double x, double y, double cx, double cy, boolean dominated) {
        /** Labels of points in the right half go to the left of the point, so they stay inside the chart. */
        public boolean labelLeft() {
            return cx > WIDTH / 2.0;
        }
    }

    public record Tick(String text, double position) {
    }

    /** An input point: a run with its quality and cost (either may be null: such runs are left out). */
    public record Input(String runId, String label, Double quality, Double cost) {
    }

    public static ParetoChart of(String title, String xLabel, String yLabel, List<Input> inputs) {
        List<Input> usable = inputs.stream().filter(i -> i.quality() != null && i.cost() != null).toList();
        if (usable.isEmpty()) {
            return new ParetoChart(title, xLabel, yLabel, WIDTH, HEIGHT, List.of(), "", List.of(), List.of());
        }
        double minX = usable.stream().mapToDouble(Input::cost).min().orElse(0);
        double maxX = usable.stream().mapToDouble(Input::cost).max().orElse(1);
        double minY = Math.min(0, usable.stream().mapToDouble(Input::quality).min().orElse(0));
        double maxY = Math.max(1, usable.stream().mapToDouble(Input::quality).max().orElse(1));
        double padX = maxX == minX ? Math.max(Math.abs(maxX) * 0.1, 1e-9) : (maxX - minX) * 0.1;
        double x0 = Math.max(0, minX - padX);
        double x1 = maxX + padX;
        List<Point> points = new ArrayList<>();
        for (Input in : usable) {
            boolean dominated = usable.stream().anyMatch(o -> o != in && o.cost() <= in.cost()
                    && o.quality() >= in.quality() && (o.cost() < in.cost() || o.quality() > in.quality()));
            points.add(new Point(in.runId(), in.label(), in.cost(), in.quality(), sx(in.cost(), x0, x1),
                    sy(in.quality(), minY, maxY), dominated));
        }
        StringBuilder frontier = new StringBuilder();
        points.stream().filter(p -> !p.dominated()).sorted(Comparator.comparingDouble(Point::cx))
                .forEach(p -> frontier.append(fmt(p.cx())).append(',').append(fmt(p.cy())).append(' '));
        List<Tick> xTicks = new ArrayList<>();
        List<Tick> yTicks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            double xv = x0 + (x1 - x0) * i / 4;
            xTicks.add(new Tick(number(xv), sx(xv, x0, x1)));
            double yv = minY + (maxY - minY) * i / 4;
            yTicks.add(new Tick(number(yv), sy(yv, minY, maxY)));
        }
        return new ParetoChart(title, xLabel, yLabel, WIDTH, HEIGHT, points, frontier.toString().strip(), xTicks,
                yTicks);
    }

    private static double sx(double v, double min, double max) {
        return LEFT + (v - min) / (max - min) * (WIDTH - LEFT - RIGHT);
    }

    private static double sy(double v, double min, double max) {
        return TOP + (1 - (v - min) / (max - min)) * (HEIGHT - TOP - BOTTOM);
    }

    public int plotRight() {
        return WIDTH - RIGHT;
    }

    public int plotBottom() {
        return HEIGHT - BOTTOM;
    }

    public int plotLeft() {
        return LEFT;
    }

    public int plotTop() {
        return TOP;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String number(double v) {
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
    }
}
