package dev.sextant.server.traces;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.server.config.ConfigKey;
import dev.sextant.server.db.Dialect;
import dev.sextant.server.support.Http;
import dev.sextant.server.support.TestServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Malformed, hostile and oversized OTLP input: clear 4xx or truncation, never 500, nothing stored lost. */
class OtlpBadInputTest {
    private static final String PROTOBUF = "application/x-protobuf";

    private static byte[] valid() {
        return AttributeRulesTest.request(AttributeRulesTest.genAiChat()).toByteArray();
    }

    @Test
    void undecodableBodiesGet400WithAStatusInTheRequestsEncoding() throws Exception {
        try (TestServer server = TestServer.start()) {
            Http api = server.api();
            byte[] body = valid();
            Http.Response truncated = api.send("POST", "/v1/traces", PROTOBUF, Arrays.copyOf(body, body.length / 2));
            assertThat(truncated.status()).isEqualTo(400);
            // google.rpc.Status: field 1 code (3 = INVALID_ARGUMENT), field 2 message.
            assertThat(truncated.bytes()[0]).isEqualTo((byte) 0x08);
            assertThat(truncated.bytes()[1]).isEqualTo((byte) 3);

            Http.Response badJson = api.send("POST", "/v1/traces", "application/json", "{\"resourceSpans\": [".getBytes());
            assertThat(badJson.status()).isEqualTo(400);
            assertThat(badJson.json().path("code").asInt()).isEqualTo(3);
            assertThat(badJson.json().path("message").asText()).contains("JSON");

            String deep = "{\"resourceSpans\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
            assertThat(api.send("POST", "/v1/traces", "application/json", deep.getBytes()).status()).isEqualTo(400);

            byte[] invalidUtf8 = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"\u00ff\"}]}]}]}"
                    .getBytes(StandardCharsets.ISO_8859_1);
            assertThat(api.send("POST", "/v1/traces", "application/json", invalidUtf8).status()).isEqualTo(400);

            // A string field holding invalid UTF-8 inside otherwise valid protobuf.
            byte[] proto = valid();
            int at = indexOf(proto, "chat gpt-4o-mini".getBytes(StandardCharsets.UTF_8));
            proto[at] = (byte) 0xC3;
            proto[at + 1] = (byte) 0x28;
            assertThat(api.send("POST", "/v1/traces", PROTOBUF, proto).status()).isEqualTo(400);

            // gzip bytes without the Content-Encoding header are not protobuf.
            assertThat(api.send("POST", "/v1/traces", PROTOBUF, gzip(body)).status()).isEqualTo(400);
        }
    }

    @Test
    void otherContentTypesAndEncodingsGet415() {
        try (TestServer server = TestServer.start()) {
            Http.Response text = server.api().send("POST", "/v1/traces", "text/plain", "hello".getBytes());
            assertThat(text.status()).isEqualTo(415);
            assertThat(text.errorCode()).isEqualTo("unsupported_media_type");
            Http.Response brotli = server.api().withHeader("Content-Encoding", "br")
                    .send("POST", "/v1/traces", PROTOBUF, valid());
            assertThat(brotli.status()).isEqualTo(415);
        }
    }

    @Test
    void gzipBodiesAreDecompressedAndBombsAreRefused() throws Exception {
        try (TestServer server = TestServer.start(Dialect.SQLITE, Map.of(ConfigKey.MAX_BODY_BYTES, "100000"))) {
            Http gz = server.api().withHeader("Content-Encoding", "gzip");
            assertThat(gz.send("POST", "/v1/traces", PROTOBUF, gzip(valid())).status()).isEqualTo(200);
            Http.Response bomb = gz.send("POST", "/v1/traces", PROTOBUF, gzip(new byte[5_000_000]));
            assertThat(bomb.status()).isEqualTo(413);
            assertThat(gz.send("POST", "/v1/traces", PROTOBUF, "not gzip".getBytes()).status()).isEqualTo(400);
        }
    }

    @Test
    void invalidIdsAreRejectedPerSpanWithPartialSuccessWhileTheRestIsStored() throws Exception {
        try (TestServer server = TestServer.start()) {
            Span good = AttributeRulesTest.genAiTool();
            Span bad = good.toBuilder().setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[3])).build();
            Http.Response response = server.api().send("POST", "/v1/traces", PROTOBUF,
                    AttributeRulesTest.request(good, bad).toByteArray());
            assertThat(response.status()).isEqualTo(200);
            ExportTraceServiceResponse parsed = ExportTraceServiceResponse.parseFrom(response.bytes());
            assertThat(parsed.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
            assertThat(parsed.getPartialSuccess().getErrorMessage()).contains("span_id");
            assertThat(server.api().get("/api/spans?traceId=5b8efff798038103d269b633813fc60c").json().path("data"))
                    .hasSize(1);

            String json = """
                    {"resourceSpans":[{"futureField":1,"scopeSpans":[{"spans":[
                      {"traceId":"zz8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","name":"bad hex"},
                      {"traceId":"5b8efff798038103d269b633813fc60d","spanId":"eee19b7ec3c1b176","name":"ok",
                       "kind":3,"startTimeUnixNano":"1764000000000000000","endTimeUnixNano":1764000000500000000,
                       "attributes":[{"key":"gen_ai.usage.input_tokens","value":{"intValue":"42"}}],"unknown":{"x":1}}
                    ]}]}]}""";
            Http.Response jsonResponse = server.api().send("POST", "/v1/traces", "application/json", json.getBytes());
            assertThat(jsonResponse.status()).isEqualTo(200);
            assertThat(jsonResponse.json().path("partialSuccess").path("rejectedSpans").asText()).isEqualTo("1");
            JsonNode stored = server.api().get("/api/spans?traceId=5b8efff798038103d269b633813fc60d").json()
                    .path("data").get(0);
            assertThat(stored.path("latencyMs").asLong()).isEqualTo(500);
            assertThat(stored.path("usage").path("input").asLong()).isEqualTo(42);
        }
    }

    @Test
    void aHugeAttributeIsTruncatedVisiblyInsteadOfRejectingTheBatch() {
        try (TestServer server = TestServer.start(Dialect.SQLITE, Map.of(ConfigKey.MAX_FIELD_BYTES, "1000"))) {
            Span huge = AttributeRulesTest.span("huge", AttributeRulesTest.kv("input.value", "é".repeat(600_000)),
                    AttributeRulesTest.kv("gen_ai.request.model", "gpt-4o"));
            Http.Response response = server.api().send("POST", "/v1/traces", PROTOBUF,
                    AttributeRulesTest.request(huge, AttributeRulesTest.genAiTool().toBuilder()
                            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                            .build()).toByteArray());
            assertThat(response.status()).isEqualTo(200);
            JsonNode spans = server.api().get("/api/spans?traceId=5b8efff798038103d269b633813fc60c&name=huge").json()
                    .path("data");
            String input = spans.get(0).path("input").asText();
            assertThat(input).startsWith("ééé").matches("(?s).*…\\[truncated \\d+ bytes]$");
            assertThat(input.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1000);
            assertThat(server.api().get("/api/spans?traceId=5b8efff798038103d269b633813fc60c").json().path("data"))
                    .hasSize(2);
        }
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
