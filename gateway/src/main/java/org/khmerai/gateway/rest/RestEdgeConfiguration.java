package org.khmerai.gateway.rest;

import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;

import java.util.List;
import org.khmerai.gateway.problem.Problems;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.security.PlatformContracts;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.pattern.PathPatternParser;

/** The REST routes, one per {@code google.api.http} annotation of the platform's contracts. */
@Configuration(proxyBeanMethods = false)
public class RestEdgeConfiguration {

    @Bean
    RouterFunction<ServerResponse> restEdge(RestTranscoder transcoder, Problems problems) {
        List<RestRoute> routes = RestRoute.of(PlatformContracts.services());
        RouterFunctions.Builder edge = route("rest-edge");
        for (RestRoute rest : routes) {
            edge.route(RequestPredicates.method(rest.verb()).and(RequestPredicates.path(rest.path())),
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
}
