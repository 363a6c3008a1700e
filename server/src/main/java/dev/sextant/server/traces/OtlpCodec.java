package dev.sextant.server.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.sextant.server.http.Json;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * OTLP/HTTP encodings: binary protobuf and protobuf-JSON (where, unlike protobuf's own JSON
 * mapping, trace and span ids are hex strings), optionally gzip-compressed.
 */
final class OtlpCodec {
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";

    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer JSON_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final long maxDecompressedBytes;

    OtlpCodec(long maxDecompressedBytes) {
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /** Why a body could not be decoded; answered 400 (or 415 for an unknown media type). */
    static final class DecodeException extends Exception {
        final int status;

        DecodeException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** {@code application/x-protobuf} or {@code application/json}, or null for anything else. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals(PROTOBUF) || type.equals(JSON) ? type : null;
    }

    ExportTraceServiceRequest decode(String mediaType, String contentEncoding, byte[] body) throws DecodeException {
        byte[] raw = decompress(contentEncoding, body);
        try {
            if (PROTOBUF.equals(mediaType)) {
                return ExportTraceServiceRequest.parseFrom(raw);
            }
            ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
            JSON_PARSER.merge(hexIdsToBase64(raw), builder);
            return builder.build();
        } catch (InvalidProtocolBufferException e) {
            throw new DecodeException(400, "cannot decode the OTLP " + (PROTOBUF.equals(mediaType) ? "protobuf" : "JSON")
                    + " body: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new DecodeException(400, "cannot decode the OTLP JSON body: " + e.getMessage());
        }
    }

    private byte[] decompress(String contentEncoding, byte[] body) throws DecodeException {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (!contentEncoding.trim().equalsIgnoreCase("gzip")) {
            throw new DecodeException(415, "unsupported Content-Encoding '" + contentEncoding + "'; use gzip or none");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, body.length * 4));
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > maxDecompressedBytes) {
                    throw new DecodeException(413,
                            "gzip body expands beyond " + maxDecompressedBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new DecodeException(400, "invalid gzip body: " + e.getMessage());
        }
    }

    /** OTLP JSON carries ids as hex; protobuf's JSON mapping expects base64 for bytes fields. */
    private static String hexIdsToBase64(byte[] raw) throws IOException {
        JsonNode root = Json.mapper().readTree(raw);
        if (root == null || !root.isObject()) {
            throw new IOException("the body must be a JSON object");
        }
        for (JsonNode rs : root.path("resourceSpans")) {
            for (JsonNode ss : rs.path("scopeSpans")) {
                for (JsonNode span : ss.path("spans")) {
                    convertIds(span, "traceId", "spanId", "parentSpanId");
                    for (JsonNode link : span.path("links")) {
                        convertIds(link, "traceId", "spanId");
                    }
                }
            }
        }
        return root.toString();
    }

    private static void convertIds(JsonNode node, String... fields) {
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        for (String field : fields) {
            JsonNode id = object.get(field);
            if (id != null && id.isTextual() && !id.asText().isEmpty()) {
                try {
                    object.put(field, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(id.asText())));
                } catch (IllegalArgumentException notHex) {
                    // Leave it: an invalid id makes the span invalid, which is reported per span.
                    object.put(field, "");
                }
            }
        }
    }

    /** A protobuf message in the request's encoding. */
    static byte[] encode(String mediaType, Message message) {
        if (PROTOBUF.equals(mediaType)) {
            return message.toByteArray();
        }
        try {
            return JSON_PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
