package org.khmerai.audit.policy;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The policies the ingest applies, compiled once per revision: each batch asks for the revisions of
 * its ministries (one small query) and reloads only those that changed, so a saved rule applies from
 * the next batch on.
 */
@Component
public class TenantPolicies {

    private record Compiled(long revision, TenantPolicy policy) {
    }

    private final PolicyStore store;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    public TenantPolicies(PolicyStore store) {
        this.store = store;
    }

    /** The current policy of each of these ministries; the default for those that have none. */
    public Map<String, TenantPolicy> of(Collection<String> tenants) {
        Set<String> distinct = new TreeSet<>(tenants);
        Map<String, Long> revisions = store.revisions(distinct);
        Map<String, TenantPolicy> policies = new HashMap<>();
        for (String tenant : distinct) {
            Long revision = revisions.get(tenant);
            if (revision == null) {
                policies.put(tenant, TenantPolicy.DEFAULT);
                continue;
            }
            Compiled known = compiled.get(tenant);
            if (known == null || known.revision() != revision) {
                known = new Compiled(revision, store.load(tenant));
                compiled.put(tenant, known);
            }
            policies.put(tenant, known.policy());
        }
        return policies;
    }
}
