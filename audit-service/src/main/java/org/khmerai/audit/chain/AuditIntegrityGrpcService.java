package org.khmerai.audit.chain;

import io.grpc.stub.StreamObserver;
import org.khmerai.audit.chain.ChainVerifier.Verification;
import org.khmerai.audit.v1.AuditChainVerification;
import org.khmerai.audit.v1.AuditIntegrityServiceGrpc;
import org.khmerai.audit.v1.BrokenLink;
import org.khmerai.audit.v1.VerifyAuditChainRequest;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.proto.ProtoTime;
import org.khmerai.platform.security.Caller;
import org.springframework.stereotype.Service;

/** Auditors verify their own ministry's chain; the tenant is the caller's, from the verified token. */
@Service
public class AuditIntegrityGrpcService extends AuditIntegrityServiceGrpc.AuditIntegrityServiceImplBase {

    private final ChainVerifier verifier;

    public AuditIntegrityGrpcService(ChainVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void verifyAuditChain(VerifyAuditChainRequest request, StreamObserver<AuditChainVerification> response) {
        GrpcErrors.answer(response, () -> message(verifier.verify(Caller.required().tenant())));
    }

    static AuditChainVerification message(Verification verification) {
        AuditChainVerification.Builder message = AuditChainVerification.newBuilder()
                .setValid(verification.valid())
                .setRecordsChecked(verification.recordsChecked())
                .setHeadSequence(verification.headSequence())
                .setHeadHash(ChainHashes.hex(verification.headHash()))
                .setCheckpointsChecked(verification.checkpointsChecked());
        verification.lastCheckpoint().ifPresent(time -> message.setLastCheckpointTime(ProtoTime.timestamp(time)));
        verification.firstBroken().ifPresent(broken -> message.setFirstBrokenLink(BrokenLink.newBuilder()
                .setSequence(broken.sequence())
                .setEventId(broken.eventId().map(Object::toString).orElse(""))
                .setReason(broken.reason())));
        return message.build();
    }
}
