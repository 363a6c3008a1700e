package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.http.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void genAiPartsAreReadAsTextToolCallsAndToolResults() throws Exception {
        List<Messages.Message> messages = Messages.view(Json.mapper().readTree("""
                [{"role":"assistant","parts":[{"type":"text","content":"Checking."},
                  {"type":"tool_call","id":"c1","name":"lookup","arguments":{"id":1}}],"finish_reason":"tool_call"},
                 {"role":"tool","parts":[{"type":"tool_call_response","id":"c1","response":{"ok":true}}]}]"""));
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).parts()).extracting(Messages.Part::type).containsExactly("text", "tool_call");
        assertThat(messages.get(0).parts().get(1).toolName()).isEqualTo("lookup");
        assertThat(messages.get(0).parts().get(1).text()).isEqualTo("{\"id\":1}");
        assertThat(messages.get(0).finishReason()).isEqualTo("tool_call");
        assertThat(messages.get(1).parts().getFirst().isToolResult()).isTrue();
        assertThat(messages.get(1).parts().getFirst().text()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void openAiStyleMessagesAreReadToo() throws Exception {
        List<Messages.Message> messages = Messages.view(Json.mapper().readTree("""
                [{"role":"assistant","content":null,"tool_calls":[{"id":"c9","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"c9","content":"18°C"}]"""));
        assertThat(messages.get(0).parts().getFirst().isToolCall()).isTrue();
        assertThat(messages.get(0).parts().getFirst().toolName()).isEqualTo("get_weather");
        assertThat(messages.get(1).parts().getFirst().isToolResult()).isTrue();
        assertThat(messages.get(1).parts().getFirst().toolCallId()).isEqualTo("c9");
    }

    @Test
    void valuesThatAreNotMessageListsAreNotMessages() throws Exception {
        assertThat(Messages.isMessageList(Json.mapper().readTree("\"hello\""))).isFalse();
        assertThat(Messages.isMessageList(Json.mapper().readTree("[{\"title\":\"doc\"}]"))).isFalse();
        assertThat(Messages.isMessageList(Json.mapper().readTree("[]"))).isFalse();
        assertThat(Messages.view(null)).isEmpty();
    }
}
