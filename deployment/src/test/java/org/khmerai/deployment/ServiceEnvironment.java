package org.khmerai.deployment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** A service's environment variables as a deployment gives them, bound to settings as the service binds them. */
record ServiceEnvironment(Map<String, String> variables) {

    /** From a Kubernetes container's {@code env} list: the variables with a value (those from Secrets have none here). */
    @SuppressWarnings("unchecked")
    static ServiceEnvironment ofContainer(Map<String, Object> container) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
            if (variable.get("value") != null) {
                variables.put((String) variable.get("name"), String.valueOf(variable.get("value")));
            }
        }
        return new ServiceEnvironment(variables);
    }

    String get(String name) {
        return variables.get(name);
    }

    <T> T bind(String prefix, Class<T> settings) {
        Map<String, Object> source = new LinkedHashMap<>(variables);
        // named as Spring names the process's environment, which its binder reads with the mapping of variable names
        return new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, source)))
                .bindOrCreate(prefix, settings);
    }
}
