package dev.sextant.server.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Number formatting for the experiment pages. */
public final class ExperimentFormat {
    private ExperimentFormat() {
    }

    /** A criterion's score: a percentage for pass rates, a number for means. */
    public static String score(Scorecard.Criterion c) {
        if (c.estimate() == null) {
            return "–";
        }
        return c.kind().equals("pass_rate") ? percent(c.estimate()) : number(c.estimate());
    }

    public static String interval(Scorecard.Criterion c) {
        if (c.low() == null || c.high() == null) {
            return "";
        }
        return c.kind().equals("pass_rate") ? "[" + percent(c.low()) + ", " + percent(c.high()) + "]"
                : "[" + number(c.low()) + ", " + number(c.high()) + "]";
    }

    public static String percent(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.0f%%", value * 100);
    }

    public static String number(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.3f", value);
    }

    public static String signed(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%+.3f", value);
    }

    public static String usd(Double value) {
        if (value == null) {
            return "–";
        }
        return value < 0.01 ? String.format(Locale.ROOT, "$%.5f", value) : String.format(Locale.ROOT, "$%.4f", value);
    }

    public static String ms(Number value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.0f ms", value.doubleValue());
    }

    public static String value(JsonNode value) {
        return value == null || value.isNull() ? "" : value.isTextual() ? value.textValue() : value.toString();
    }

    public static String coordinate(double value) {
        return ParetoChart.fmt(value);
    }

    /** CSS class of a verdict. */
    public static String verdictClass(String verdict) {
        return switch (verdict) {
            case Comparison.BETTER -> "better";
            case Comparison.WORSE -> "worse";
            default -> "same";
        };
    }
}
