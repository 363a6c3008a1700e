package dev.sextant.server.models;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.internal.JsonSchemaElementJsonUtils;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.sextant.server.http.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Translates gateway records to langchain4j requests and langchain4j responses back. */
final class Lc4j {
    private Lc4j() {
    }

    static dev.langchain4j.model.chat.request.ChatRequest request(ChatRequest request, ProviderKind kind) {
        if (request.messages().isEmpty()) {
            throw GatewayException.badInput("at least one message is required");
        }
        ModelConfig model = request.model();
        if (model == null || model.name() == null || model.name().isBlank()) {
            throw GatewayException.badInput("model.name is required");
        }
        validate(model);
        DefaultChatRequestParameters.Builder<?> params = kind == ProviderKind.ANTHROPIC || kind == ProviderKind.GEMINI
                ? DefaultChatRequestParameters.builder()
                : OpenAiChatRequestParameters.builder().seed(model.seed());
        params.modelName(model.name()).temperature(model.temperature()).topP(model.topP())
                .maxOutputTokens(model.maxTokens());
        if (!model.stop().isEmpty()) {
            params.stopSequences(model.stop());
        }
        if (!request.tools().isEmpty()) {
            params.toolSpecifications(request.tools().stream().map(Lc4j::tool).toList());
        }
        ResponseFormat format = format(model.responseFormat());
        if (format != null) {
            params.responseFormat(format);
        }
        ChatRequestParameters built = params.build();
        return dev.langchain4j.model.chat.request.ChatRequest.builder().messages(messages(request.messages()))
                .parameters(built).build();
    }

    private static void validate(ModelConfig model) {
        if (model.temperature() != null && (model.temperature() < 0 || model.temperature() > 2)) {
            throw GatewayException.badInput("temperature must be between 0 and 2");
        }
        if (model.topP() != null && (model.topP() <= 0 || model.topP() > 1)) {
            throw GatewayException.badInput("topP must be greater than 0 and at most 1");
        }
        if (model.maxTokens() != null && model.maxTokens() < 1) {
            throw GatewayException.badInput("maxTokens must be at least 1");
        }
        if (model.stop().size() > 4 || model.stop().stream().anyMatch(s -> s == null || s.isEmpty())) {
            throw GatewayException.badInput("stop takes at most 4 non-empty sequences");
        }
    }

    private static List<dev.langchain4j.data.message.ChatMessage> messages(List<ChatMessage> messages) {
        Map<String, String> toolNames = new HashMap<>();
        List<dev.langchain4j.data.message.ChatMessage> out = new ArrayList<>();
        for (ChatMessage m : messages) {
            String role = m.role() == null ? "" : m.role().toLowerCase(Locale.ROOT);
            String text = m.content() == null ? "" : m.content();
            switch (role) {
                case "system", "developer" -> out.add(SystemMessage.from(text));
                case "user" -> out.add(UserMessage.from(text));
                case "assistant" -> {
                    if (m.toolCalls().isEmpty()) {
                        out.add(AiMessage.from(text));
                    } else {
                        List<ToolExecutionRequest> calls = new ArrayList<>();
                        for (ToolCall call : m.toolCalls()) {
                            toolNames.put(call.id(), call.name());
                            calls.add(ToolExecutionRequest.builder().id(call.id()).name(call.name())
                                    .arguments(call.arguments() == null ? "{}" : call.arguments()).build());
                        }
                        out.add(m.content() == null || m.content().isBlank() ? AiMessage.from(calls)
                                : AiMessage.from(text, calls));
                    }
                }
                case "tool" -> {
                    if (m.toolCallId() == null) {
                        throw GatewayException.badInput("a tool message needs toolCallId");
                    }
                    String name = m.name() != null ? m.name() : toolNames.getOrDefault(m.toolCallId(), "tool");
                    out.add(ToolExecutionResultMessage.from(m.toolCallId(), name, text));
                }
                default -> throw GatewayException.badInput("message role must be system, user, assistant or tool, got '"
                        + m.role() + "'");
            }
        }
        return out;
    }

    private static ToolSpecification tool(ToolDefinition tool) {
        if (tool.name() == null || !tool.name().matches("[A-Za-z0-9_-]{1,64}")) {
            throw GatewayException.badInput("tool name must be 1-64 letters, digits, '_' or '-', got '" + tool.name() + "'");
        }
        ToolSpecification.Builder b = ToolSpecification.builder().name(tool.name()).description(tool.description());
        if (tool.parameters() != null && !tool.parameters().isNull()) {
            if (!(schema(tool.parameters(), "tool " + tool.name()) instanceof JsonObjectSchema object)) {
                throw GatewayException.badInput("parameters of tool " + tool.name() + " must be a JSON schema of type object");
            }
            b.parameters(object);
        }
        return b.build();
    }

    private static ResponseFormat format(OutputFormat format) {
        if (format == null || format.type() == null || format.type().equals("text")) {
            return null;
        }
        return switch (format.type()) {
            case "json", "json_object" -> ResponseFormat.JSON;
            case "json_schema" -> {
                if (format.schema() == null || !format.schema().isObject()) {
                    throw GatewayException.badInput("responseFormat.schema is required for json_schema");
                }
                String name = format.name() == null || format.name().isBlank() ? "response" : format.name();
                yield ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(JsonSchema.builder().name(name)
                        .rootElement(schema(format.schema(), "responseFormat")).build()).build();
            }
            default -> throw GatewayException.badInput("responseFormat.type must be text, json or json_schema");
        };
    }

    private static JsonSchemaElement schema(JsonNode schema, String where) {
        try {
            Map<String, Object> map = Json.mapper().convertValue(schema, new TypeReference<Map<String, Object>>() { });
            return JsonSchemaElementJsonUtils.fromMap(map);
        } catch (RuntimeException e) {
            throw GatewayException.badInput("invalid JSON schema for " + where + ": " + e.getMessage());
        }
    }

    static List<ToolCall> toolCalls(AiMessage message) {
        if (message == null || !message.hasToolExecutionRequests()) {
            return List.of();
        }
        return message.toolExecutionRequests().stream()
                .map(r -> new ToolCall(r.id(), r.name(), r.arguments())).toList();
    }

    static Usage usage(ChatResponse response) {
        if (response.tokenUsage() == null) {
            return Usage.NONE;
        }
        Integer in = response.tokenUsage().inputTokenCount();
        Integer out = response.tokenUsage().outputTokenCount();
        return new Usage(in == null ? 0 : in, out == null ? 0 : out);
    }

    static String finishReason(ChatResponse response) {
        return response.finishReason() == null ? null : response.finishReason().name().toLowerCase(Locale.ROOT);
    }
}
