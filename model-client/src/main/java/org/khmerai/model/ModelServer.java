package org.khmerai.model;

import java.net.URI;
import java.util.List;

/**
 * One model server behind an alias: an OpenAI-compatible HTTP endpoint (vLLM, llama.cpp server,
 * Ollama, TGI).
 *
 * @param alias  the model alias it serves: calls name the alias, and fall back through its servers in order
 * @param name   how the platform names it in audit records and logs
 * @param url    the server's base URL, without {@code /v1}
 * @param model  the model name the server knows it by
 * @param apiKey  sent as a bearer token when set
 * @param tenants the ministries it is dedicated to, whose calls go to it before the alias's shared
 *                servers; no other ministry's call reaches it. Empty: shared by every ministry
 */
public record ModelServer(String alias, String name, URI url, String model, String apiKey, List<String> tenants) {

    public ModelServer {
        if (alias == null || name == null || url == null || model == null) {
            throw new IllegalArgumentException("a model server needs an alias, a name, a url and a model; got "
                    + alias + ", " + name + ", " + url + ", " + model);
        }
        if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("the url of model server " + name + " must be http:// or https:// and name a host; got " + url);
        }
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
    }

    /** Whether a ministry's calls may go to it. */
    public boolean serves(String tenant) {
        return tenants.isEmpty() || tenants.contains(tenant);
    }

    boolean dedicatedTo(String tenant) {
        return tenants.contains(tenant);
    }

    URI chatCompletions() {
        return endpoint("v1/chat/completions");
    }

    URI models() {
        return endpoint("v1/models");
    }

    private URI endpoint(String path) {
        return url.resolve(url.getPath().endsWith("/") ? path : url.getPath() + "/" + path);
    }
}
