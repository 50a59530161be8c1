package org.khmerai.segmentation;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.segmentation.v1.NormalizeRequest;
import org.khmerai.segmentation.v1.NormalizeResponse;
import org.khmerai.segmentation.v1.Repair;
import org.khmerai.segmentation.v1.RepairKind;
import org.khmerai.segmentation.v1.SegmentBatchRequest;
import org.khmerai.segmentation.v1.SegmentBatchResponse;
import org.khmerai.segmentation.v1.SegmentRequest;
import org.khmerai.segmentation.v1.SegmentResponse;
import org.khmerai.segmentation.v1.SegmentationServiceGrpc;
import org.khmerai.segmentation.v1.TokenKind;
import org.khmerai.segmentation.v1.Word;
import org.khmerai.text.normalize.KhmerNormalizer;
import org.khmerai.text.segment.Token;
import org.khmerai.text.segment.WordSegmenter;
import org.springframework.stereotype.Service;

/** The segmentation contract over the khmer-text engine. Callers are checked by platform-support's interceptors. */
@Service
public class SegmentationGrpcService extends SegmentationServiceGrpc.SegmentationServiceImplBase {

    static final int MAX_TEXT_CHARS = 1_000_000;
    static final int MAX_BATCH_TEXTS = 1_000;

    private final Segmenters segmenters;
    private final KhmerNormalizer normalizer;

    public SegmentationGrpcService(Segmenters segmenters, KhmerNormalizer normalizer) {
        this.segmenters = segmenters;
        this.normalizer = normalizer;
    }

    @Override
    public void segment(SegmentRequest request, StreamObserver<SegmentResponse> response) {
        GrpcErrors.answer(response, () -> {
            checkLength(request.getText().length(), "text");
            return segment(segmenters.forGranularity(request.getOptions().getGranularity()), request.getText());
        });
    }

    @Override
    public void segmentBatch(SegmentBatchRequest request, StreamObserver<SegmentBatchResponse> response) {
        GrpcErrors.answer(response, () -> {
            if (request.getTextsCount() > MAX_BATCH_TEXTS) {
                throw invalid("a batch holds at most " + MAX_BATCH_TEXTS + " texts; this one has " + request.getTextsCount());
            }
            checkLength(request.getTextsList().stream().mapToLong(String::length).sum(), "the texts of a batch together");
            WordSegmenter segmenter = segmenters.forGranularity(request.getOptions().getGranularity());
            List<SegmentResponse> results = request.getTextsList().stream().map(text -> segment(segmenter, text)).toList();
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

    private static SegmentResponse segment(WordSegmenter segmenter, String text) {
        SegmentResponse.Builder result = SegmentResponse.newBuilder().setEngine(segmenter.engine());
        for (Token token : segmenter.segment(text)) {
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

    private static StatusRuntimeException invalid(String detail) {
        return GrpcErrors.exception(PlatformError.INVALID_ARGUMENT, detail);
    }
}
