package dev.sextant.examples.supportbot;

import dev.sextant.sdk.Feedback;
import dev.sextant.sdk.Sextant;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the support bot one question and optionally rates the answer:
 * {@code support-bot [--vote up|down] [--user ID] "Where is my order #1042?"}.
 * Sextant from {@code SEXTANT_URL} / {@code SEXTANT_API_KEY}; the model from {@code OPENAI_API_KEY}
 * or the sim at {@code SIM_BASE_URL}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String vote = null;
        String user = null;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--vote" -> vote = args[++i];
                case "--user" -> user = args[++i];
                default -> words.add(args[i]);
            }
        }
        if (words.isEmpty() || (vote != null && !vote.equals("up") && !vote.equals("down"))) {
            System.err.println("usage: support-bot [--vote up|down] [--user ID] \"your question\"");
            System.exit(2);
        }
        try (Sextant sextant = Sextant.fromEnv()) {
            SupportBot bot = new SupportBot(sextant, SupportBot.ModelConfig.fromEnv());
            SupportBot.Answer answer = bot.answer(String.join(" ", words), user);
            System.out.println(answer.text());
            System.out.println("trace: " + answer.traceId());
            sextant.flush();
            if (vote != null) {
                Feedback.On on = user == null ? Feedback.on(answer.traceId()) : Feedback.on(answer.traceId()).endUser(user);
                boolean stored = sextant.feedback().vote(on, vote.equals("up")).join();
                System.out.println(stored ? "vote sent" : "vote not stored (see the log)");
            }
        }
    }
}
