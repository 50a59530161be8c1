package org.khmerai.gateway.rest;

import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;

import java.util.Comparator;
import java.util.List;
import org.khmerai.gateway.problem.Problems;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.security.PlatformContracts;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.pattern.PathPatternParser;

/** The REST routes, one per {@code google.api.http} annotation of the platform's contracts. */
@Configuration(proxyBeanMethods = false)
public class RestEdgeConfiguration {

    @Bean
    RouterFunction<ServerResponse> restEdge(RestTranscoder transcoder, Problems problems) {
        List<RestRoute> routes = RestRoute.of(PlatformContracts.services());
        RouterFunctions.Builder edge = route("rest-edge");
        // a streaming method shares its path with a unary one: the caller who asks for an event stream gets it
        for (RestRoute rest : routes.stream().sorted(Comparator.comparing(RestRoute::streaming).reversed()).toList()) {
            RequestPredicate matches = RequestPredicates.method(rest.verb()).and(RequestPredicates.path(rest.path()));
            edge.route(rest.streaming() ? matches.and(RestEdgeConfiguration::asksForEventStream) : matches,
                    request -> transcoder.handle(rest, request));
        }
        // what no route matched: 405 where the path is known, 404 elsewhere, both as problems
        edge.route(RequestPredicates.path("/api/**"), request -> {
            boolean knownPath = routes.stream().anyMatch(rest ->
                    PathPatternParser.defaultInstance.parse(rest.path()).matches(request.requestPath().pathWithinApplication()));
            return knownPath
                    ? problems.response(request.servletRequest(), PlatformError.METHOD_NOT_ALLOWED,
                            request.method() + " is not allowed on " + request.path())
                    : problems.response(request.servletRequest(), PlatformError.NOT_FOUND, "no API at " + request.path());
        });
        return edge.build();
    }

    /** Named outright: a caller who accepts anything gets the unary answer. */
    private static boolean asksForEventStream(ServerRequest request) {
        return request.headers().accept().stream().anyMatch(type -> type.equalsTypeAndSubtype(MediaType.TEXT_EVENT_STREAM));
    }
}
