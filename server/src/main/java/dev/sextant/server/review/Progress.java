package dev.sextant.server.review;

import java.util.List;

/** How far a queue is: items done out of total, and each reviewer's reviews and skips. */
public record Progress(int items, int done, int reviews, int reviewsNeeded, List<Reviewer> reviewers) {

    public record Reviewer(String reviewer, int reviewed, int skipped) {
    }

    public int percent() {
        return items == 0 ? 0 : (int) Math.floor(100.0 * done / items);
    }
}
