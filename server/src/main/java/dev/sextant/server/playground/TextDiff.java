package dev.sextant.server.playground;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A word-level diff of two texts (recorded vs new output), as segments to show inline. */
public final class TextDiff {
    private static final Pattern WORDS = Pattern.compile("\\s+|[^\\s]+");

    private TextDiff() {
    }

    /** One run of text: {@code equal}, {@code delete} (only in the old text) or {@code insert} (only in the new). */
    public record Segment(String op, String text) {
    }

    public static List<Segment> diff(String before, String after) {
        List<String> a = words(before);
        List<String> b = words(after);
        Patch<String> patch = DiffUtils.diff(a, b);
        List<Segment> out = new ArrayList<>();
        int position = 0;
        for (AbstractDelta<String> delta : patch.getDeltas()) {
            add(out, "equal", a.subList(position, delta.getSource().getPosition()));
            add(out, "delete", delta.getSource().getLines());
            add(out, "insert", delta.getTarget().getLines());
            position = delta.getSource().getPosition() + delta.getSource().size();
        }
        add(out, "equal", a.subList(position, a.size()));
        return out;
    }

    private static void add(List<Segment> out, String op, List<String> words) {
        if (words.isEmpty()) {
            return;
        }
        String text = String.join("", words);
        if (!out.isEmpty() && out.getLast().op().equals(op)) {
            out.set(out.size() - 1, new Segment(op, out.getLast().text() + text));
        } else {
            out.add(new Segment(op, text));
        }
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WORDS.matcher(text == null ? "" : text);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }
}
