package org.khmerai.platform.security;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.List;
import org.khmerai.audit.v1.AuditIntegrityProto;
import org.khmerai.audit.v1.AuditPolicyProto;
import org.khmerai.audit.v1.AuditQueryProto;
import org.khmerai.audit.v1.AuditReviewProto;
import org.khmerai.llm.v1.ChatProto;
import org.khmerai.segmentation.v1.SegmentationProto;
import org.khmerai.segmentation.v1.UserDictionaryProto;
import org.khmerai.translation.v1.TranslationProto;
import org.khmerai.translation.v1.TranslationResourcesProto;

/** The contracts of the services the platform serves to callers: a new service is one more line here. */
public final class PlatformContracts {

    private static final List<FileDescriptor> FILES = List.of(
            SegmentationProto.getDescriptor(),
            UserDictionaryProto.getDescriptor(),
            AuditQueryProto.getDescriptor(),
            AuditIntegrityProto.getDescriptor(),
            AuditPolicyProto.getDescriptor(),
            AuditReviewProto.getDescriptor(),
            ChatProto.getDescriptor(),
            TranslationProto.getDescriptor(),
            TranslationResourcesProto.getDescriptor());

    private PlatformContracts() {
    }

    public static List<ServiceDescriptor> services() {
        return FILES.stream().flatMap(file -> file.getServices().stream()).toList();
    }
}
