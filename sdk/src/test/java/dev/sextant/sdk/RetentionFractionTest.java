package dev.sextant.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kept fraction is the browser snippet's (static/sextant-feedback.js): the expected values
 * below were computed by running that script's {@code fractionKept} in Node.
 */
class RetentionFractionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "the quick brown fox | the quick brown fox jumps | 1.0",
            "a b c d | a x c | 0.5",
            "a b c d | d c b a | 0.25",
            "'' | '' | 0.0",
            "'  ' | x | 1.0",
            "a b c | '' | 0.0",
            "one two three | one three | 0.6666666666666666",
            "Refunds take 5-7 days. Contact us. | Refunds take 5-7 business days. | 0.6666666666666666",
    })
    void theFractionKeptIsTheLongestCommonSubsequenceOfWordsOverTheAcceptedWords(String accepted, String current,
                                                                                 double expected) {
        assertThat(Feedback.fractionKept(accepted, current)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void wordsSplitOnTheSameWhitespaceAsJavaScript() {
        assertThat(Feedback.fractionKept("a\tb\n c", "  a b   c ")).isEqualTo(1.0);
        assertThat(Feedback.fractionKept("a\u00A0b", "a b")).isEqualTo(1.0);
        assertThat(Feedback.fractionKept("a b", null)).isEqualTo(0.0);
    }
}
