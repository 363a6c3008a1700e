package dev.sextant.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.sdk.Feedback;
import dev.sextant.sdk.Sextant;
import dev.sextant.sdk.SextantSpan;
import dev.sextant.server.support.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The Java SDK's feedback client against a real server, and against no server at all. */
class SdkFeedbackTest {
    private static final String ACCEPTED = "Click Forgot password on the sign-in page and follow the e-mailed link.";

    private static String loggedTrace(Sextant sextant) {
        String traceId;
        try (SextantSpan turn = sextant.trace("answer question")) {
            traceId = turn.traceId();
            turn.input("How do I reset my password?").output(ACCEPTED);
        }
        sextant.flush();
        return traceId;
    }

    private static List<JsonNode> feedback(TestServer server, String traceId) {
        List<JsonNode> rows = new ArrayList<>();
        server.api().get("/api/feedback?traceId=" + traceId).json().path("data").forEach(rows::add);
        return rows;
    }

    private static JsonNode ofKind(List<JsonNode> rows, String kind) {
        return rows.stream().filter(r -> r.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void votesRatingsActionsCorrectionsAndCommentsArriveOnTheServerWithSpanAndEndUser() {
        try (TestServer server = TestServer.start();
             Sextant sextant = Sextant.builder().url(server.url()).apiKey(TestServer.API_KEY).build()) {
            String traceId = loggedTrace(sextant);
            Feedback.On on = Feedback.on(traceId).endUser("u-42");
            List<CompletableFuture<Boolean>> sent = List.of(
                    sextant.feedback().vote(on, false),
                    sextant.feedback().rating(on, 4, 5),
                    sextant.feedback().action(on, "copy"),
                    sextant.feedback().customAction(on, "pin"),
                    sextant.feedback().correction(traceId, "Click Forgot password and follow the link."),
                    sextant.feedback().comment(on, "too long"));
            assertThat(sent).allSatisfy(f -> assertThat(f.join()).isTrue());
            assertThat(sextant.feedback().sent()).isEqualTo(6);

            List<JsonNode> rows = feedback(server, traceId);
            assertThat(rows).hasSize(6);
            assertThat(ofKind(rows, "vote").path("vote").asInt()).isEqualTo(-1);
            assertThat(ofKind(rows, "vote").path("endUserId").asText()).isEqualTo("u-42");
            assertThat(ofKind(rows, "rating").path("rating").asDouble()).isEqualTo(4.0);
            assertThat(ofKind(rows, "rating").path("scale").asDouble()).isEqualTo(5.0);
            assertThat(rows.stream().filter(r -> r.path("kind").asText().equals("action"))
                    .map(r -> r.path("action").asText())).containsExactlyInAnyOrder("copy", "custom:pin");
            assertThat(ofKind(rows, "correction").path("diff").asText()).contains("+Click Forgot password and follow");
            assertThat(ofKind(rows, "comment").path("text").asText()).isEqualTo("too long");
        }
    }

    @Test
    void feedbackCanNameASpanOfTheTraceAndATraceWithoutOutput() {
        try (TestServer server = TestServer.start();
             Sextant sextant = Sextant.builder().url(server.url()).apiKey(TestServer.API_KEY).build()) {
            String traceId;
            String spanId;
            try (SextantSpan turn = sextant.trace("answer question")) {
                traceId = turn.traceId();
                try (SextantSpan step = sextant.span("draft", dev.sextant.sdk.SpanKind.CHAIN)) {
                    spanId = step.spanId();
                }
            }
            sextant.flush();
            assertThat(sextant.feedback().vote(Feedback.on(traceId).span(spanId), true).join()).isTrue();
            assertThat(sextant.feedback().comment(traceId, "the trace has no output").join()).isTrue();
            JsonNode vote = ofKind(feedback(server, traceId), "vote");
            assertThat(vote.path("spanId").asText()).isEqualTo(spanId);
            assertThat(vote.path("vote").asInt()).isEqualTo(1);
            assertThat(ofKind(feedback(server, traceId), "comment").path("spanId").asText(null)).isNull();
        }
    }

    @Test
    void retentionCheckpointsSendTheFractionOfTheAcceptedTextStillThereAndCanBeCancelled() {
        try (TestServer server = TestServer.start();
             Sextant sextant = Sextant.builder().url(server.url()).apiKey(TestServer.API_KEY).build()) {
            String traceId = loggedTrace(sextant);
            // 12 accepted words; the user keeps the first 6 of them and writes the rest themselves.
            AtomicReference<String> editor = new AtomicReference<>(
                    "Click Forgot password on the sign-in screen, then write to us.");
            Feedback.Cancellable cancelled = sextant.feedback().trackRetention(traceId, editor::get, ACCEPTED,
                    Duration.ofMillis(300));
            cancelled.cancel();
            sextant.feedback().trackRetention(Feedback.on(traceId).endUser("u-7"), editor::get, ACCEPTED,
                    Duration.ofMillis(600), Duration.ofSeconds(1));

            await().atMost(Duration.ofSeconds(20)).until(() -> feedback(server, traceId).size() == 2);
            List<JsonNode> rows = feedback(server, traceId);
            double expected = Math.round(Feedback.fractionKept(ACCEPTED, editor.get()) * 1000) / 1000.0;
            assertThat(expected).isEqualTo(0.5);
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.path("kind").asText()).isEqualTo("retention");
                assertThat(r.path("fractionKept").asDouble()).isEqualTo(expected);
                assertThat(r.path("present").asBoolean()).isTrue();
                assertThat(r.path("endUserId").asText()).isEqualTo("u-7");
            });
            assertThat(rows).extracting(r -> r.path("delaySeconds").asInt()).containsExactlyInAnyOrder(0, 1);
        }
    }

    @Test
    void withTheServerDownFeedbackNeverThrowsAndFailuresAreCounted() {
        try (Sextant sextant = Sextant.builder().url("http://127.0.0.1:9").apiKey("sk-sx-none")
                .requestTimeout(Duration.ofMillis(500)).build()) {
            CompletableFuture<Boolean> vote = sextant.feedback().vote("0af7651916cd43dd8448eb211c80319c", true);
            CompletableFuture<Boolean> comment = sextant.feedback().comment("0af7651916cd43dd8448eb211c80319c", "hi");
            sextant.feedback().trackRetention("0af7651916cd43dd8448eb211c80319c", () -> {
                throw new IllegalStateException("the editor is gone");
            }, ACCEPTED, Duration.ofMillis(10));

            assertThat(vote.join()).isFalse();
            assertThat(comment.join()).isFalse();
            assertThat(sextant.feedback().failed()).isEqualTo(2);
            assertThat(sextant.feedback().sent()).isZero();
        }
    }
}
