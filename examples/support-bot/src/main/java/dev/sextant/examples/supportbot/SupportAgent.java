package dev.sextant.examples.supportbot;

import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;

/** The langchain4j AI service; its system message is the prompt fetched from Sextant, rendered per question. */
interface SupportAgent {
    @SystemMessage("{{instructions}}")
    String answer(@V("instructions") String instructions, @UserMessage String question);
}
