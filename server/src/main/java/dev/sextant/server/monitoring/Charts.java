package dev.sextant.server.monitoring;

import java.util.List;
import java.util.Locale;

/**
 * Small server-side SVG line charts (no chart library; the CSP forbids inline scripts). Every text
 * that comes from data (series names, labels) is XML-escaped here, so templates may embed the result.
 */
public final class Charts {
    static final String[] COLORS = {"#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2"};
    private static final int WIDTH = 320;
    private static final int HEIGHT = 110;
    private static final int LEFT = 46;
    private static final int BOTTOM = 16;
    private static final int TOP = 6;

    private Charts() {
    }

    /** One line; a null y is a gap (no data in that bucket). */
    public record Series(String name, List<Double> ys) {
    }

    /**
     * Lines over evenly spaced x positions labelled {@code xLabels} (first and last are drawn).
     *
     * @param yMax the top of the y axis, or null to fit the data
     */
    public static String lines(List<Series> series, List<String> xLabels, Double yMax, String unit) {
        double max = yMax != null ? yMax : series.stream().flatMap(s -> s.ys().stream())
                .filter(y -> y != null).mapToDouble(Double::doubleValue).max().orElse(0);
        if (max <= 0) {
            max = 1;
        }
        int n = xLabels.size();
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">");
        int plotW = WIDTH - LEFT - 4;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP + plotH).append("\" x2=\"")
                .append(WIDTH - 4).append("\" y2=\"").append(TOP + plotH).append("\" class=\"axis\"/>");
        text(svg, LEFT - 3, TOP + 8, "end", number(max) + unit);
        text(svg, LEFT - 3, TOP + plotH, "end", "0");
        if (n > 0) {
            text(svg, LEFT, HEIGHT - 3, "start", xLabels.getFirst());
            if (n > 1) {
                text(svg, WIDTH - 4, HEIGHT - 3, "end", xLabels.getLast());
            }
        }
        for (int s = 0; s < series.size(); s++) {
            List<Double> ys = series.get(s).ys();
            String color = COLORS[s % COLORS.length];
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < ys.size(); i++) {
                Double y = ys.get(i);
                if (y == null) {
                    pen = false;
                    continue;
                }
                double px = LEFT + (n <= 1 ? plotW / 2.0 : plotW * i / (double) (n - 1));
                double py = TOP + plotH - plotH * Math.min(y, max) / max;
                path.append(pen ? " L" : " M").append(fmt(px)).append(',').append(fmt(py));
                pen = true;
                boolean isolated = (i == 0 || ys.get(i - 1) == null) && (i == ys.size() - 1 || ys.get(i + 1) == null);
                if (ys.size() <= 12 || isolated) {
                    svg.append("<circle cx=\"").append(fmt(px)).append("\" cy=\"").append(fmt(py))
                            .append("\" r=\"2\" fill=\"").append(color).append("\"><title>")
                            .append(escape(series.get(s).name() + " · " + (i < n ? xLabels.get(i) : "") + ": "
                                    + number(y) + unit)).append("</title></circle>");
                }
            }
            if (!path.isEmpty()) {
                svg.append("<path d=\"").append(path.toString().trim()).append("\" fill=\"none\" stroke=\"")
                        .append(color).append("\" stroke-width=\"1.5\"><title>")
                        .append(escape(series.get(s).name())).append("</title></path>");
            }
        }
        return svg.append("</svg>").toString();
    }

    /** The legend for {@link #lines}: one coloured swatch per series. */
    public static String legend(List<Series> series) {
        StringBuilder html = new StringBuilder("<div class=\"chart-legend\">");
        for (int s = 0; s < series.size(); s++) {
            html.append("<span><i style=\"background:").append(COLORS[s % COLORS.length]).append("\"></i>")
                    .append(escape(series.get(s).name())).append("</span>");
        }
        return html.append("</div>").toString();
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, String value) {
        svg.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" text-anchor=\"")
                .append(anchor).append("\">").append(escape(value)).append("</text>");
    }

    public static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", v / 1_000_000);
        }
        if (a >= 10_000) {
            return String.format(Locale.ROOT, "%.0fk", v / 1_000);
        }
        if (a >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
