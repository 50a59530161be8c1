package org.khmerai.gateway.rest;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.khmerai.gateway.audit.AuditedExchange;
import org.khmerai.gateway.backend.GatewayProperties;
import org.khmerai.gateway.backend.RawMessages;
import org.khmerai.gateway.backend.ServiceChannels;
import org.khmerai.gateway.problem.Problems;
import org.khmerai.platform.audit.AuditAdmission;
import org.khmerai.platform.audit.AuditEvents;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.security.AccessPolicy;
import org.khmerai.platform.security.Caller;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Where a REST request enters the platform: JSON in, a gRPC call to the owning service, JSON out
 * (or, for a server-streaming method, server-sent events: {@link EventStreamRelay}).
 * Driven by the contracts alone, so a new service needs no controller.
 */
@Component
public class RestTranscoder {

    private final ServiceChannels channels;
    private final AccessPolicy access;
    private final AuditAdmission admission;
    private final Problems problems;
    private final GatewayProperties properties;
    private final EventStreamRelay eventStreams;

    RestTranscoder(ServiceChannels channels, AccessPolicy access, AuditAdmission admission, Problems problems,
                   GatewayProperties properties, EventStreamRelay eventStreams) {
        this.channels = channels;
        this.access = access;
        this.admission = admission;
        this.problems = problems;
        this.properties = properties;
        this.eventStreams = eventStreams;
    }

    public ServerResponse handle(RestRoute route, ServerRequest request) {
        HttpServletRequest servlet = request.servletRequest();
        Optional<AuditedExchange> exchange = AuditedExchange.of(servlet);
        exchange.ifPresent(e -> e.method(route.fullMethodName()));
        try {
            Caller caller = caller(request);
            exchange.ifPresent(e -> e.caller(caller));
            access.refusal(caller, route.fullMethodName()).or(() -> admission.refusal(caller.tenant())).ifPresent(refusal -> {
                throw new RestProblem(refusal.error(), refusal.detail());
            });
            byte[] input = input(route, request, exchange).toByteArray();
            Channel channel = channel(route, caller, exchange.map(AuditedExchange::requestId).orElse(""));
            if (route.streaming()) {
                return eventStreams.relay(channel, route, input, servlet);
            }
            byte[] output = ClientCalls.blockingUnaryCall(channel, RawMessages.method(route.fullMethodName(), MethodType.UNARY),
                    CallOptions.DEFAULT.withDeadlineAfter(properties.backendTimeout(route.method().getService().getFullName()).toMillis(),
                            TimeUnit.MILLISECONDS), input);
            String json = JsonTranscoding.print(DynamicMessage.parseFrom(route.method().getOutputType(), output));
            return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(json);
        } catch (RestProblem problem) {
            return problems.response(servlet, problem.error, problem.getMessage());
        } catch (StatusRuntimeException failure) {
            PlatformError error = GrpcErrors.errorOf(failure.getStatus(), failure.getTrailers());
            return problems.response(servlet, error, Optional.ofNullable(failure.getStatus().getDescription())
                    .orElse(failure.getStatus().getCode().name()));
        } catch (InvalidProtocolBufferException e) {
            return problems.response(servlet, PlatformError.INTERNAL, "the service answered with a message that does not parse");
        }
    }

    private static Caller caller(ServerRequest request) {
        return request.principal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(principal -> Caller.of(((JwtAuthenticationToken) principal).getToken()))
                .orElseThrow(() -> new RestProblem(PlatformError.MISSING_TOKEN, "no authenticated caller"));
    }

    private DynamicMessage input(RestRoute route, ServerRequest request, Optional<AuditedExchange> exchange) {
        String json = "";
        if (route.hasBody()) {
            checkJsonContentType(request);
            byte[] body = body(request.servletRequest());
            exchange.ifPresent(e -> e.input(AuditEvents.content(body)));
            json = utf8(body);
            if (json.isBlank()) {
                throw new RestProblem(PlatformError.MALFORMED_JSON, "the body is empty; send the request as a JSON object");
            }
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>(request.params());
        request.pathVariables().forEach((name, value) -> parameters.put(name, List.of(value)));
        try {
            JsonTranscoding.ParsedRequest parsed = JsonTranscoding.parse(route.method().getInputType(), json, parameters);
            if (!parsed.missingRequiredFields().isEmpty()) {
                throw new RestProblem(PlatformError.MISSING_FIELD,
                        "required field(s) missing: " + String.join(", ", parsed.missingRequiredFields()));
            }
            return parsed.message();
        } catch (InvalidProtocolBufferException e) {
            throw new RestProblem(route.hasBody() ? PlatformError.MALFORMED_JSON : PlatformError.INVALID_ARGUMENT,
                    Optional.ofNullable(e.getMessage()).orElse("the request does not match " + route.method().getInputType().getFullName()));
        }
    }

    private static void checkJsonContentType(ServerRequest request) {
        boolean json = request.headers().contentType()
                .map(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON)).orElse(false);
        if (!json) {
            throw new RestProblem(PlatformError.UNSUPPORTED_MEDIA_TYPE, "send the body as Content-Type: application/json; got "
                    + request.headers().contentType().map(MediaType::toString).orElse("none"));
        }
    }

    /** The body, read up to the size limit: bodies sent without a length are measured here. */
    private byte[] body(HttpServletRequest request) {
        long max = properties.maxRequestSize().toBytes();
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, max + 1));
            if (body.length > max) {
                throw new RestProblem(PlatformError.PAYLOAD_TOO_LARGE, "the body is larger than " + max + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new RestProblem(PlatformError.INVALID_ARGUMENT, "the body could not be read: " + e.getMessage());
        }
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new RestProblem(PlatformError.INVALID_UTF8, "the body is not valid UTF-8: " + e.getMessage());
        }
    }

    /** The owning service's channel, carrying the caller's token and the request id on every call. */
    private Channel channel(RestRoute route, Caller caller, String requestId) {
        Channel channel = channels.forService(route.serviceName()).orElseThrow(() ->
                new RestProblem(PlatformError.SERVICE_UNAVAILABLE, "no backend is configured for " + route.serviceName()));
        return ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(RawMessages.forwardedHeaders(caller.bearerToken(), requestId)));
    }

    /** A request the transcoder answers with a problem instead of a call. */
    private static final class RestProblem extends RuntimeException {
        private final PlatformError error;

        RestProblem(PlatformError error, String detail) {
            super(detail, null, false, false);
            this.error = error;
        }
    }
}
