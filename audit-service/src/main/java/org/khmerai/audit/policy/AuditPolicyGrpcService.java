package org.khmerai.audit.policy;

import io.grpc.stub.StreamObserver;
import java.time.Clock;
import org.khmerai.audit.v1.AuditPolicyServiceGrpc;
import org.khmerai.audit.v1.AuditSettings;
import org.khmerai.audit.v1.ContentMode;
import org.khmerai.audit.v1.DeletePolicyRuleRequest;
import org.khmerai.audit.v1.DeletePolicyRuleResponse;
import org.khmerai.audit.v1.GetAuditSettingsRequest;
import org.khmerai.audit.v1.ListPolicyRulesRequest;
import org.khmerai.audit.v1.ListPolicyRulesResponse;
import org.khmerai.audit.v1.PolicyRule;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.security.Caller;
import org.khmerai.policy.CompiledRule;
import org.springframework.stereotype.Service;

/** The administrators' API for a ministry's audit settings and policy rules; the ministry is the caller's own. */
@Service
public class AuditPolicyGrpcService extends AuditPolicyServiceGrpc.AuditPolicyServiceImplBase {

    static final int MAX_RETENTION_DAYS = 3_650;

    private final PolicyStore store;
    private final Clock clock;

    public AuditPolicyGrpcService(PolicyStore store) {
        this.store = store;
        this.clock = Clock.systemUTC();
    }

    @Override
    public void getAuditSettings(GetAuditSettingsRequest request, StreamObserver<AuditSettings> response) {
        GrpcErrors.answer(response, () -> store.settings(Caller.required().tenant()));
    }

    @Override
    public void updateAuditSettings(AuditSettings request, StreamObserver<AuditSettings> response) {
        GrpcErrors.answer(response, () -> {
            Caller caller = Caller.required();
            ContentMode mode = request.getContentMode();
            if (mode == ContentMode.CONTENT_MODE_UNSPECIFIED || mode == ContentMode.UNRECOGNIZED) {
                throw invalid("content_mode is required: METADATA_ONLY, REDACTED or FULL");
            }
            int days = request.getContentRetentionDays();
            if (days < 0 || days > MAX_RETENTION_DAYS) {
                throw invalid("content_retention_days must be between 0 (keep) and " + MAX_RETENTION_DAYS + "; got " + days);
            }
            return store.updateSettings(caller.tenant(), mode, days, caller.principal());
        });
    }

    @Override
    public void listPolicyRules(ListPolicyRulesRequest request, StreamObserver<ListPolicyRulesResponse> response) {
        GrpcErrors.answer(response, () ->
                ListPolicyRulesResponse.newBuilder().addAllRules(store.rules(Caller.required().tenant())).build());
    }

    @Override
    public void putPolicyRule(PolicyRule request, StreamObserver<PolicyRule> response) {
        GrpcErrors.answer(response, () -> {
            Caller caller = Caller.required();
            try {
                CompiledRule.of(request);
            } catch (CompiledRule.InvalidRuleException e) {
                throw invalid(e.getMessage());
            }
            PolicyRule rule = request.toBuilder().clearUpdateTime().clearUpdatedBy().build();
            return store.putRule(caller.tenant(), rule, caller.principal(), clock.instant()).orElseThrow(() ->
                    GrpcErrors.exception(PlatformError.CONFLICT, "a ministry has at most " + PolicyStore.MAX_RULES
                            + " rules; delete one before adding another"));
        });
    }

    @Override
    public void deletePolicyRule(DeletePolicyRuleRequest request, StreamObserver<DeletePolicyRuleResponse> response) {
        GrpcErrors.answer(response, () -> {
            Caller caller = Caller.required();
            if (!store.deleteRule(caller.tenant(), request.getId(), caller.principal())) {
                throw GrpcErrors.exception(PlatformError.NOT_FOUND, "no rule " + request.getId());
            }
            return DeletePolicyRuleResponse.getDefaultInstance();
        });
    }

    private static RuntimeException invalid(String detail) {
        return GrpcErrors.exception(PlatformError.INVALID_ARGUMENT, detail);
    }
}
