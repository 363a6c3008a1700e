package dev.sextant.server.traces;

import com.google.protobuf.CodedOutputStream;
import dev.sextant.server.auth.Access;
import dev.sextant.server.auth.Authenticator;
import dev.sextant.server.http.ApiException;
import dev.sextant.server.http.Json;
import dev.sextant.server.http.Routes;
import io.javalin.http.Context;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code POST /v1/traces}: OTLP/HTTP per the OpenTelemetry spec. Answers in the request's
 * encoding: 200 with ExportTraceServiceResponse (partial success for invalid spans), 400 with a
 * google.rpc.Status for undecodable data, 429 with Retry-After when the write queue is full.
 */
public final class OtlpApi {
    /** google.rpc.Code values used in Status bodies. */
    private static final int INVALID_ARGUMENT = 3;
    private static final int RESOURCE_EXHAUSTED = 8;
    private static final int UNAVAILABLE = 14;

    private final TraceService traces;
    private final OtlpCodec codec;

    public OtlpApi(TraceService traces, long maxDecompressedBytes) {
        this.traces = traces;
        this.codec = new OtlpCodec(maxDecompressedBytes);
    }

    public void register(Routes routes) {
        routes.api("POST /v1/traces", Access.INGEST,
                "OTLP/HTTP trace export (application/x-protobuf or application/json, optional gzip)", this::export);
    }

    private void export(Context ctx) {
        String mediaType = OtlpCodec.mediaType(ctx.contentType());
        if (mediaType == null) {
            throw new ApiException(415, "unsupported_media_type",
                    "Content-Type must be application/x-protobuf or application/json");
        }
        ExportTraceServiceRequest request;
        try {
            request = codec.decode(mediaType, ctx.header("Content-Encoding"), ctx.bodyAsBytes());
        } catch (OtlpCodec.DecodeException e) {
            status(ctx, mediaType, e.status, INVALID_ARGUMENT, e.getMessage());
            return;
        }
        TraceService.Ingested result;
        try {
            result = traces.ingest(Authenticator.project(ctx).id(), request);
        } catch (ApiException e) {
            boolean full = e.status() == 429;
            ctx.header("Retry-After", full ? "1" : "5");
            status(ctx, mediaType, e.status(), full ? RESOURCE_EXHAUSTED : UNAVAILABLE, e.getMessage());
            return;
        }
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (result.rejected() > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(result.rejected())
                    .setErrorMessage(result.rejectReason()));
        }
        ctx.status(200).contentType(mediaType).result(OtlpCodec.encode(mediaType, response.build()));
    }

    /** A google.rpc.Status body: {code, message}, in protobuf or JSON. */
    private static void status(Context ctx, String mediaType, int httpStatus, int code, String message) {
        ctx.status(httpStatus).contentType(mediaType);
        if (OtlpCodec.JSON.equals(mediaType)) {
            ctx.result(Json.write(Map.of("code", code, "message", message)));
            return;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
            ctx.result(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
