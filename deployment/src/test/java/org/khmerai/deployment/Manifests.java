package org.khmerai.deployment;

import java.util.List;
import java.util.Map;

/** Kubernetes manifests, as a chart renders them. */
record Manifests(List<Map<String, Object>> documents) {

    /** The manifest of {@code kind} named {@code name}; null when there is none. */
    Map<String, Object> get(String kind, String name) {
        return documents.stream().filter(document -> kind.equals(document.get("kind")) && name.equals(path(document, "metadata", "name")))
                .findFirst().orElse(null);
    }

    /** The pod spec of the workload of {@code kind} named {@code name}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> podSpec(String kind, String name) {
        Map<String, Object> workload = get(kind, name);
        if (workload == null) {
            throw new AssertionError("no " + kind + " " + name + " was rendered");
        }
        return (Map<String, Object>) path(workload, "spec", "template", "spec");
    }

    /** The pod's one container. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> container(Map<String, Object> pod) {
        List<Map<String, Object>> containers = (List<Map<String, Object>>) pod.get("containers");
        if (containers.size() != 1) {
            throw new AssertionError("expected one container, found " + containers.size());
        }
        return containers.getFirst();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> env(Map<String, Object> container) {
        return (List<Map<String, Object>>) container.get("env");
    }

    /** The value at {@code keys} under {@code map}; null where a key is missing. */
    static Object path(Map<String, Object> map, String... keys) {
        Object value = map;
        for (String key : keys) {
            if (!(value instanceof Map<?, ?> level)) {
                return null;
            }
            value = level.get(key);
        }
        return value;
    }
}
