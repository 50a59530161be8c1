package org.khmerai.gateway.rest;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;

/**
 * One REST endpoint as a contract's {@code google.api.http} annotation defines it.
 *
 * @param body "*" when the whole request message is the JSON body, "" when there is no body
 *             (fields then come from the path and the query string)
 */
public record RestRoute(HttpMethod verb, String path, MethodDescriptor method, String body) {

    public String fullMethodName() {
        return io.grpc.MethodDescriptor.generateFullMethodName(method.getService().getFullName(), method.getName());
    }

    public String serviceName() {
        return method.getService().getFullName();
    }

    public boolean hasBody() {
        return !body.isEmpty();
    }

    /** A server-streaming method: its REST route answers as server-sent events. */
    public boolean streaming() {
        return method.isServerStreaming();
    }

    /** The routes of every method of these contracts that carries an HTTP annotation. */
    public static List<RestRoute> of(List<ServiceDescriptor> services) {
        return services.stream().flatMap(service -> service.getMethods().stream())
                .flatMap(method -> of(method).stream()).toList();
    }

    private static Optional<RestRoute> of(MethodDescriptor method) {
        if (!method.getOptions().hasExtension(AnnotationsProto.http)) {
            return Optional.empty();
        }
        if (method.isClientStreaming()) {
            throw new IllegalStateException(method.getFullName() + " streams its requests, which REST cannot carry");
        }
        HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
        return Optional.of(switch (rule.getPatternCase()) {
            case GET -> new RestRoute(HttpMethod.GET, rule.getGet(), method, rule.getBody());
            case POST -> new RestRoute(HttpMethod.POST, rule.getPost(), method, rule.getBody());
            case PUT -> new RestRoute(HttpMethod.PUT, rule.getPut(), method, rule.getBody());
            case PATCH -> new RestRoute(HttpMethod.PATCH, rule.getPatch(), method, rule.getBody());
            case DELETE -> new RestRoute(HttpMethod.DELETE, rule.getDelete(), method, rule.getBody());
            default -> throw new IllegalStateException("unsupported HTTP rule on " + method.getFullName() + ": " + rule);
        });
    }
}
