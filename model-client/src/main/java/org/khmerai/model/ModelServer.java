package org.khmerai.model;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * @param api     which of the API's endpoints answers: {@link Api#CHAT} unless set
 * @param promptTemplate for {@link Api#COMPLETIONS} only: the prompt, with {@code {name}} where a call's
 *                value of that name goes ({@link ChatCompletion#promptValues})
 */
public record ModelServer(String alias, String name, URI url, String model, String apiKey, List<String> tenants, Api api,
                          String promptTemplate) {

    /** The endpoint a server's answers are asked of. */
    public enum Api {
        /** {@code /v1/chat/completions}: the call's messages, which the server puts into its model's chat template. */
        CHAT,
        /**
         * {@code /v1/completions}: one prompt, the server's template filled with the call's values, for a
         * model without a chat template, such as the translation model MADLAD-400 ({@code <2en> {text}}).
         */
        COMPLETIONS
    }

    public ModelServer {
        if (alias == null || name == null || url == null || model == null) {
            throw new IllegalArgumentException("a model server needs an alias, a name, a url and a model; got "
                    + alias + ", " + name + ", " + url + ", " + model);
        }
        if (!("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("the url of model server " + name + " must be http:// or https:// and name a host; got " + url);
        }
        tenants = tenants == null ? List.of() : List.copyOf(tenants);
        api = api == null ? Api.CHAT : api;
        boolean templated = promptTemplate != null && !promptTemplate.isBlank();
        if (api == Api.COMPLETIONS && !templated) {
            throw new IllegalArgumentException("model server " + name + " answers through the completions API and needs a"
                    + " prompt-template, such as \"<2{target}> {text}\" for MADLAD-400");
        }
        if (api == Api.CHAT && templated) {
            throw new IllegalArgumentException("model server " + name + " has a prompt-template, which only a server of"
                    + " api=completions uses; a chat server's model puts the messages into its own template");
        }
    }

    /** A server of the chat API. (A factory, not a second constructor, which would leave settings binding none.) */
    public static ModelServer chat(String alias, String name, URI url, String model, String apiKey, List<String> tenants) {
        return new ModelServer(alias, name, url, model, apiKey, tenants, Api.CHAT, null);
    }

    /** Everything but the api key, which is a secret: a server printed in a log or an error names it only as set. */
    @Override
    public String toString() {
        return "ModelServer[alias=" + alias + ", name=" + name + ", url=" + url + ", model=" + model + ", apiKey="
                + (apiKey == null || apiKey.isBlank() ? "none" : "(set)") + ", tenants=" + tenants + ", api=" + api
                + (promptTemplate == null ? "" : ", promptTemplate=" + promptTemplate) + "]";
    }

    /** Whether a ministry's calls may go to it. */
    public boolean serves(String tenant) {
        return tenants.isEmpty() || tenants.contains(tenant);
    }

    boolean dedicatedTo(String tenant) {
        return tenants.contains(tenant);
    }

    /** The names its prompt template has a place for, in their order; none for a chat server. */
    public Set<String> promptPlaces() {
        return promptTemplate == null ? Set.of() : PromptTemplate.places(promptTemplate);
    }

    /**
     * The prompt of a completions call: the template filled with the call's values.
     *
     * @throws IllegalArgumentException when the template has a place for a value the call lacks
     */
    String prompt(Map<String, String> values) {
        try {
            return PromptTemplate.fill(promptTemplate, values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the prompt-template of model server " + name + ": " + e.getMessage(), e);
        }
    }

    /** Where the server's answers are asked for: its chat or its completions endpoint. */
    URI answers() {
        return endpoint(api == Api.CHAT ? "v1/chat/completions" : "v1/completions");
    }

    URI models() {
        return endpoint("v1/models");
    }

    private URI endpoint(String path) {
        return url.resolve(url.getPath().endsWith("/") ? path : url.getPath() + "/" + path);
    }
}
