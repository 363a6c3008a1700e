package dev.sextant.server.evaluators;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A judge model that returns exactly the raw replies it was given, in order, and records every request. */
final class ScriptedJudgeModel implements JudgeModel {
    private final Deque<String> replies = new ArrayDeque<>();
    final List<List<Message>> requests = new ArrayList<>();
    final List<ModelConfig> configs = new ArrayList<>();
    final List<String> callNames = new ArrayList<>();

    ScriptedJudgeModel reply(String... raw) {
        replies.addAll(List.of(raw));
        return this;
    }

    @Override
    public JudgeReply complete(String projectId, String callName, List<Message> messages, ModelConfig config) {
        callNames.add(callName);
        requests.add(messages);
        configs.add(config);
        if (replies.isEmpty()) {
            throw new IllegalStateException("the script has no more replies");
        }
        return new JudgeReply(replies.removeFirst(), 120L, 40L, 0.0003);
    }
}
