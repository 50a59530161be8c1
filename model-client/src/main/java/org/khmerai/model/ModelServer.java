package org.khmerai.model;

import java.net.URI;

/**
 * One model server behind an alias: an OpenAI-compatible HTTP endpoint (vLLM, llama.cpp server,
 * Ollama, TGI).
 *
 * @param alias  the model alias it serves: calls name the alias, and fall back through its servers in order
 * @param name   how the platform names it in audit records and logs
 * @param url    the server's base URL, without {@code /v1}
 * @param model  the model name the server knows it by
 * @param apiKey sent as a bearer token when set
 */
public record ModelServer(String alias, String name, URI url, String model, String apiKey) {

    public ModelServer {
        if (alias == null || name == null || url == null || model == null) {
            throw new IllegalArgumentException("a model server needs an alias, a name, a url and a model; got "
                    + alias + ", " + name + ", " + url + ", " + model);
        }
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
