package dev.sextant.server.evaluators;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** Reference-based text similarity: Levenshtein, ROUGE-L and sentence BLEU. All return 0..1. */
final class TextMetrics {
    /** Words: runs of letters, digits and apostrophes; case-folded. */
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}']+");

    private TextMetrics() {
    }

    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** 1 - edit distance / length of the longer string; 1 for two empty strings. */
    static double levenshteinSimilarity(String a, String b) {
        int longer = Math.max(a.length(), b.length());
        if (longer == 0) {
            return 1.0;
        }
        int distance = LevenshteinDistance.getDefaultInstance().apply(a, b);
        return 1.0 - (double) distance / longer;
    }

    /** ROUGE-L F1 over word tokens: longest common subsequence precision and recall. */
    static double rougeL(String candidate, String reference) {
        List<String> c = tokens(candidate);
        List<String> r = tokens(reference);
        if (c.isEmpty() || r.isEmpty()) {
            return c.isEmpty() && r.isEmpty() ? 1.0 : 0.0;
        }
        int lcs = lcs(c, r);
        if (lcs == 0) {
            return 0.0;
        }
        double precision = (double) lcs / c.size();
        double recall = (double) lcs / r.size();
        return 2 * precision * recall / (precision + recall);
    }

    private static int lcs(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String x : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }

    /**
     * Sentence BLEU against one reference: clipped n-gram precisions for n = 1..maxN, geometric
     * mean with uniform weights, times the brevity penalty. With {@code addOne} the precisions for
     * n ≥ 2 get +1 in numerator and denominator (Lin and Och 2004; NLTK's method2), so a short
     * candidate with no 4-gram match does not score 0.
     */
    static double bleu(String candidate, String reference, int maxN, boolean addOne) {
        List<String> c = tokens(candidate);
        List<String> r = tokens(reference);
        if (c.isEmpty()) {
            return 0.0;
        }
        double logSum = 0;
        for (int n = 1; n <= maxN; n++) {
            Map<List<String>, Integer> candidateCounts = ngrams(c, n);
            Map<List<String>, Integer> referenceCounts = ngrams(r, n);
            int total = 0;
            int matched = 0;
            for (Map.Entry<List<String>, Integer> e : candidateCounts.entrySet()) {
                total += e.getValue();
                matched += Math.min(e.getValue(), referenceCounts.getOrDefault(e.getKey(), 0));
            }
            double numerator = matched;
            double denominator = total;
            if (addOne && n > 1) {
                numerator++;
                denominator++;
            }
            if (numerator == 0 || denominator == 0) {
                return 0.0;
            }
            logSum += Math.log(numerator / denominator) / maxN;
        }
        double brevity = c.size() >= r.size() ? 1.0 : Math.exp(1.0 - (double) r.size() / c.size());
        return brevity * Math.exp(logSum);
    }

    private static Map<List<String>, Integer> ngrams(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
        }
        return counts;
    }
}
