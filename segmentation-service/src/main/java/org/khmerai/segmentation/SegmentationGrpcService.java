package org.khmerai.segmentation;

import static org.khmerai.platform.error.GrpcErrors.invalid;

import io.grpc.stub.StreamObserver;
import java.util.List;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.security.Caller;
import org.khmerai.segmentation.dictionary.TenantDictionaries;
import org.khmerai.segmentation.dictionary.TenantDictionaries.Applied;
import org.khmerai.segmentation.v1.NormalizeRequest;
import org.khmerai.segmentation.v1.NormalizeResponse;
import org.khmerai.segmentation.v1.Repair;
import org.khmerai.segmentation.v1.RepairKind;
import org.khmerai.segmentation.v1.SegmentBatchRequest;
import org.khmerai.segmentation.v1.SegmentBatchResponse;
import org.khmerai.segmentation.v1.SegmentOptions;
import org.khmerai.segmentation.v1.SegmentRequest;
import org.khmerai.segmentation.v1.SegmentResponse;
import org.khmerai.segmentation.v1.SegmentationServiceGrpc;
import org.khmerai.segmentation.v1.TokenKind;
import org.khmerai.segmentation.v1.Word;
import org.khmerai.text.normalize.KhmerNormalizer;
import org.khmerai.text.segment.KhmerWordSegmenter;
import org.khmerai.text.segment.Token;
import org.springframework.stereotype.Service;

/**
 * The segmentation contract over the khmer-text engine, each call with the dictionary of the
 * caller's ministry. Callers are checked by platform-support's interceptors.
 */
@Service
public class SegmentationGrpcService extends SegmentationServiceGrpc.SegmentationServiceImplBase {

    static final int MAX_TEXT_CHARS = 1_000_000;
    static final int MAX_BATCH_TEXTS = 1_000;

    private final Segmenters segmenters;
    private final KhmerNormalizer normalizer;
    private final TenantDictionaries dictionaries;

    public SegmentationGrpcService(Segmenters segmenters, KhmerNormalizer normalizer, TenantDictionaries dictionaries) {
        this.segmenters = segmenters;
        this.normalizer = normalizer;
        this.dictionaries = dictionaries;
    }

    @Override
    public void segment(SegmentRequest request, StreamObserver<SegmentResponse> response) {
        GrpcErrors.answer(response, () -> {
            checkLength(request.getText().length(), "text");
            return segment(segmenters.forGranularity(request.getOptions().getGranularity()), dictionary(request.getOptions()),
                    request.getText());
        });
    }

    @Override
    public void segmentBatch(SegmentBatchRequest request, StreamObserver<SegmentBatchResponse> response) {
        GrpcErrors.answer(response, () -> {
            if (request.getTextsCount() > MAX_BATCH_TEXTS) {
                throw invalid("a batch holds at most " + MAX_BATCH_TEXTS + " texts; this one has " + request.getTextsCount());
            }
            checkLength(request.getTextsList().stream().mapToLong(String::length).sum(), "the texts of a batch together");
            KhmerWordSegmenter segmenter = segmenters.forGranularity(request.getOptions().getGranularity());
            Applied dictionary = dictionary(request.getOptions());
            List<SegmentResponse> results = request.getTextsList().stream().map(text -> segment(segmenter, dictionary, text)).toList();
            return SegmentBatchResponse.newBuilder().addAllResults(results).build();
        });
    }

    @Override
    public void normalize(NormalizeRequest request, StreamObserver<NormalizeResponse> response) {
        GrpcErrors.answer(response, () -> {
            checkLength(request.getText().length(), "text");
            KhmerNormalizer.Normalized normalized = normalizer.normalize(request.getText());
            NormalizeResponse.Builder result = NormalizeResponse.newBuilder().setText(normalized.text()).setChanged(normalized.changed());
            for (KhmerNormalizer.Repair repair : normalized.repairs()) {
                result.addRepairs(Repair.newBuilder()
                        .setKind(RepairKind.valueOf("REPAIR_KIND_" + repair.kind().name()))
                        .setStart(repair.start())
                        .setEnd(repair.end())
                        .setStartCodePoint(repair.startCodePoint())
                        .setEndCodePoint(repair.endCodePoint())
                        .setOriginal(repair.original())
                        .setReplacement(repair.replacement()));
            }
            return result.build();
        });
    }

    /** The dictionary of the caller's ministry, unless the request asks to do without it. */
    private Applied dictionary(SegmentOptions options) {
        if (options.getIgnoreUserDictionary()) {
            return Applied.NONE;
        }
        try {
            return Caller.current().map(caller -> dictionaries.of(caller.tenant())).orElse(Applied.NONE);
        } catch (TenantDictionaries.Unavailable e) {
            throw GrpcErrors.exception(PlatformError.SERVICE_UNAVAILABLE, e.getMessage()
                    + "; try again later, or segment without it (options.ignore_user_dictionary)");
        }
    }

    private static SegmentResponse segment(KhmerWordSegmenter segmenter, Applied dictionary, String text) {
        SegmentResponse.Builder result = SegmentResponse.newBuilder().setEngine(segmenter.engine())
                .setUserDictionaryRevision(dictionary.revision());
        for (Token token : segmenter.segment(text, dictionary.dictionary())) {
            result.addWords(Word.newBuilder()
                    .setText(token.text())
                    .setStart(token.start())
                    .setEnd(token.end())
                    .setStartCodePoint(token.startCodePoint())
                    .setEndCodePoint(token.endCodePoint())
                    .setKind(kindOf(token)));
        }
        return result.build();
    }

    private static TokenKind kindOf(Token token) {
        return switch (token.kind()) {
            case WORD -> TokenKind.TOKEN_KIND_WORD;
            case NUMBER -> TokenKind.TOKEN_KIND_NUMBER;
            case PUNCTUATION -> TokenKind.TOKEN_KIND_PUNCTUATION;
        };
    }

    private static void checkLength(long chars, String what) {
        if (chars > MAX_TEXT_CHARS) {
            throw invalid(what + " may hold at most " + MAX_TEXT_CHARS + " characters; got " + chars);
        }
    }
}
