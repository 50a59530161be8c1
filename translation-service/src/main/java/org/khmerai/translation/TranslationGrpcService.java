package org.khmerai.translation;

import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.security.Caller;
import org.khmerai.translation.v1.TranslateBatchRequest;
import org.khmerai.translation.v1.TranslateBatchResponse;
import org.khmerai.translation.v1.TranslateRequest;
import org.khmerai.translation.v1.TranslateResponse;
import org.khmerai.translation.v1.TranslationServiceGrpc;
import org.springframework.stereotype.Service;

/** Where a translation call is served: its size checked here, the translation made by {@link Translator}. */
@Service
public class TranslationGrpcService extends TranslationServiceGrpc.TranslationServiceImplBase {

    private final TranslationProperties properties;
    private final Translator translator;

    public TranslationGrpcService(TranslationProperties properties, Translator translator) {
        this.properties = properties;
        this.translator = translator;
    }

    @Override
    public void translate(TranslateRequest request, StreamObserver<TranslateResponse> response) {
        GrpcErrors.answer(response, () -> {
            checkLength(request.getText().length(), properties.maxInputChars(), "text");
            return translator.translate(Caller.required().tenant(), List.of(request.getText()), request.getSourceLanguage(),
                    request.getTargetLanguage(), request.getModel(), proposer(request.getProposeForMemory())).getFirst();
        });
    }

    @Override
    public void translateBatch(TranslateBatchRequest request, StreamObserver<TranslateBatchResponse> response) {
        GrpcErrors.answer(response, () -> {
            if (request.getTextsCount() == 0 || request.getTextsCount() > properties.maxBatchTexts()) {
                throw GrpcErrors.exception(PlatformError.INVALID_ARGUMENT,
                        "a batch carries 1 to " + properties.maxBatchTexts() + " texts; this one has " + request.getTextsCount());
            }
            for (int i = 0; i < request.getTextsCount(); i++) {
                checkLength(request.getTexts(i).length(), properties.maxInputChars(), "texts[" + i + "]");
            }
            checkLength(request.getTextsList().stream().mapToInt(String::length).sum(), properties.maxBatchChars(), "the texts together");
            return TranslateBatchResponse.newBuilder().addAllTranslations(translator.translate(Caller.required().tenant(),
                    request.getTextsList(), request.getSourceLanguage(), request.getTargetLanguage(), request.getModel(),
                    proposer(request.getProposeForMemory()))).build();
        });
    }

    /** The caller, when the call proposes its translations for the memory. */
    private static Optional<String> proposer(boolean propose) {
        return propose ? Optional.of(Caller.required().principal()) : Optional.empty();
    }

    private static void checkLength(int length, int max, String what) {
        if (length > max) {
            throw GrpcErrors.exception(PlatformError.INVALID_ARGUMENT, what + " holds " + length + " characters; at most " + max
                    + " are translated in one call");
        }
    }
}
