package dev.sextant.examples.supportbot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keyword retrieval (BM25) over the help-center articles bundled with the app: each markdown
 * section is one passage. Small and offline on purpose; swap in an embedding store for real use.
 */
public final class HelpCenter {
    private static final List<String> FILES = List.of("returns.md", "shipping.md", "account.md");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "are", "can", "do", "does", "for", "how",
            "i", "in", "is", "it", "my", "of", "on", "or", "the", "to", "what", "when", "where", "with", "you", "your");
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    /** A passage: a section of an article. */
    public record Passage(String title, String text) {
    }

    private record Indexed(Passage passage, Map<String, Integer> terms, int length) {
    }

    private final List<Indexed> passages = new ArrayList<>();
    private final Map<String, Integer> documentFrequency = new HashMap<>();
    private final double averageLength;

    public HelpCenter() {
        for (String file : FILES) {
            for (Passage passage : sections(read("/help-center/" + file))) {
                Map<String, Integer> terms = new HashMap<>();
                List<String> words = words(passage.title() + " " + passage.text());
                words.forEach(w -> terms.merge(w, 1, Integer::sum));
                terms.keySet().forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
                passages.add(new Indexed(passage, terms, words.size()));
            }
        }
        averageLength = passages.stream().mapToInt(Indexed::length).average().orElse(1);
    }

    /** The best passages for a question (at most {@code limit}, only those sharing a word with it). */
    public List<Passage> search(String question, int limit) {
        List<String> query = words(question);
        record Scored(Passage passage, double score) {
        }
        List<Scored> scored = new ArrayList<>();
        for (Indexed p : passages) {
            double score = 0;
            for (String term : query) {
                int tf = p.terms().getOrDefault(term, 0);
                if (tf == 0) {
                    continue;
                }
                int df = documentFrequency.get(term);
                double idf = Math.log(1 + (passages.size() - df + 0.5) / (df + 0.5));
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * p.length() / averageLength));
            }
            if (score > 0) {
                scored.add(new Scored(p.passage(), score));
            }
        }
        return scored.stream().sorted(Comparator.comparingDouble(Scored::score).reversed()).limit(limit)
                .map(Scored::passage).toList();
    }

    private static List<Passage> sections(String markdown) {
        List<Passage> out = new ArrayList<>();
        String title = null;
        StringBuilder text = new StringBuilder();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) {
                if (title != null && !text.toString().isBlank()) {
                    out.add(new Passage(title, text.toString().strip()));
                }
                title = line.replaceFirst("^#+\\s*", "");
                text.setLength(0);
            } else {
                text.append(line).append('\n');
            }
        }
        if (title != null && !text.toString().isBlank()) {
            out.add(new Passage(title, text.toString().strip()));
        }
        return out;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            if (!STOP_WORDS.contains(m.group())) {
                words.add(m.group());
            }
        }
        return words;
    }

    private static String read(String resource) {
        try (InputStream in = HelpCenter.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing bundled article " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
