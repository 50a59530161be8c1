package org.khmerai.infrastructure;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Gets access tokens from a Keycloak token endpoint, the way a portal or the command line does. */
public final class Tokens {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private final URI tokenEndpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    public Tokens(URI tokenEndpoint) {
        this.tokenEndpoint = tokenEndpoint;
    }

    /** A portal's own token (OAuth2 client credentials grant). */
    public String clientCredentials(String clientId, String secret) throws IOException, InterruptedException {
        return request(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    /** A person's token through a public client (resource owner password grant; local use only). */
    public String password(String clientId, String username, String password) throws IOException, InterruptedException {
        return request(Map.of("grant_type", "password", "client_id", clientId, "username", username, "password", password));
    }

    private String request(Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenEndpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher token = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new IOException("no token from " + tokenEndpoint + ": " + response.statusCode() + " " + response.body());
        }
        return token.group(1);
    }
}
