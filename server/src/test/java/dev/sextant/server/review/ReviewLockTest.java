package dev.sextant.server.review;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.SextantServices;
import dev.sextant.server.auth.Principal;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.MutableClock;
import dev.sextant.server.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReviewLockTest {

    /** A second service on the same database, as another process would be, with a clock the test moves. */
    private static ReviewService withClock(SextantServices s, MutableClock clock) {
        return new ReviewService(s.database(), s.audit(), clock, s.evaluators(), s.scores(), s.traces(), s.datasets(),
                new ReviewSampler(s.jobs(), clock));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anExpiredLockIsReclaimedAndTheFormerHolderCanNoLongerSubmit(Dialect dialect) {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            ReviewFixtures.rubric(api);
            ReviewFixtures.judge(api);
            ReviewFixtures.traces(api, 1);
            api.post("/api/review/queues", Map.of("name", "short", "lockSeconds", 60,
                    "evaluators", List.of(Map.of("name", ReviewFixtures.RUBRIC))));
            api.post("/api/review/queues/short/items", Map.of("ids", List.of(ReviewFixtures.traceId(0))));
            MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            ReviewService reviews = withClock(server.services(), clock);
            String project = server.project().id();

            ReviewItem held = reviews.next(project, "short", "alice@test.local").orElseThrow();
            assertThat(held.lockedUntil()).isEqualTo(clock.instant().plusSeconds(60));
            assertThat(reviews.next(project, "short", "bob@test.local")).isEmpty();
            clock.advance(Duration.ofSeconds(59));
            assertThat(reviews.next(project, "short", "bob@test.local")).isEmpty();
            clock.advance(Duration.ofSeconds(2));
            ReviewItem reclaimed = reviews.next(project, "short", "bob@test.local").orElseThrow();
            assertThat(reclaimed.id()).isEqualTo(held.id());
            assertThat(reclaimed.lockedBy()).isEqualTo("bob@test.local");

            Principal alice = Principal.ofUser(server.services().auth().createUser("alice@test.local", null, "password-x1", false));
            var submission = new ReviewService.Submission(Map.of(ReviewFixtures.RUBRIC,
                    Map.of("answer_correct", List.of("true"), "answer_helpful", List.of("4"))), null, null);
            try {
                reviews.submit(server.project(), "short", held.id(), submission, alice);
                throw new AssertionError("alice's lock had expired");
            } catch (ApiException e) {
                assertThat(e.status()).isEqualTo(409);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void concurrentReviewersNeverGetTheSameItem(Dialect dialect) throws Exception {
        try (TestServer server = TestServer.start(dialect)) {
            Http api = server.api();
            ReviewFixtures.rubric(api);
            ReviewFixtures.judge(api);
            List<String> ids = ReviewFixtures.traces(api, 24);
            ReviewFixtures.queue(api, "busy", 1);
            api.post("/api/review/queues/busy/items", Map.of("ids", ids));
            String project = server.project().id();
            // Two "processes": the server's own service and a second one on the same database.
            List<ReviewService> services = List.of(server.services().reviews(),
                    withClock(server.services(), new MutableClock(Instant.now())));
            // 30 reviewers race for 24 items at once: each item goes to exactly one of them.
            List<Callable<Optional<ReviewItem>>> reviewers = new ArrayList<>();
            for (int r = 0; r < 30; r++) {
                String reviewer = "reviewer-" + r;
                ReviewService service = services.get(r % 2);
                reviewers.add(() -> service.next(project, "busy", reviewer));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<String> claimed = new ArrayList<>();
            try {
                for (Future<Optional<ReviewItem>> f : pool.invokeAll(reviewers)) {
                    f.get().ifPresent(item -> claimed.add(item.id()));
                }
            } finally {
                pool.shutdown();
            }
            assertThat(claimed).hasSize(24);
            assertThat(new HashSet<>(claimed)).hasSize(24);
            assertThat(services.get(0).next(project, "busy", "latecomer")).isEmpty();
        }
    }
}
