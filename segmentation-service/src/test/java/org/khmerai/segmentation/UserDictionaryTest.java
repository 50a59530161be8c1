package org.khmerai.segmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.khmerai.segmentation.v1.AddDictionaryTermsRequest;
import org.khmerai.segmentation.v1.DictionaryChange;
import org.khmerai.segmentation.v1.DictionaryTerm;
import org.khmerai.segmentation.v1.ListDictionaryTermsRequest;
import org.khmerai.segmentation.v1.ListDictionaryTermsResponse;
import org.khmerai.segmentation.v1.RemoveDictionaryTermsRequest;
import org.khmerai.segmentation.v1.SegmentBatchRequest;
import org.khmerai.segmentation.v1.SegmentOptions;
import org.khmerai.segmentation.v1.SegmentRequest;
import org.khmerai.segmentation.v1.SegmentResponse;
import org.khmerai.segmentation.v1.SegmentationServiceGrpc;
import org.khmerai.segmentation.v1.UserDictionaryServiceGrpc;
import org.khmerai.segmentation.v1.Word;

/** A ministry's dictionary managed through the API and applied to its own segmentation calls only. */
class UserDictionaryTest extends ServiceHarness {

    // "the Ministry of Education, Youth and Sport", then "announced"
    private static final String MINISTRY = "ក្រសួងអប់រំយុវជននិងកីឡា";
    private static final String TEXT = MINISTRY + "បានប្រកាស";

    @Test
    void aTermAddedByAMinistryIsOneWordInItsCallsOnly() {
        String ministry = tenant();
        String other = tenant();
        assertThat(words(ministry, TEXT)).as("the model alone splits the name").doesNotContain(MINISTRY);

        DictionaryChange added = dictionary(ministry).addDictionaryTerms(add(MINISTRY));
        assertThat(added.getChanged()).isEqualTo(1);
        assertThat(added.getRevision()).isEqualTo(1);

        SegmentResponse response = segment(ministry, SegmentRequest.newBuilder().setText(TEXT).build());
        assertThat(response.getWordsList()).extracting(Word::getText).startsWith(MINISTRY);
        assertThat(response.getWords(0).getEnd()).isEqualTo(MINISTRY.length());
        assertThat(response.getUserDictionaryRevision()).isEqualTo(1);
        assertThat(words(other, TEXT)).as("another ministry's calls").doesNotContain(MINISTRY);
        assertThat(segment(ministry, SegmentRequest.newBuilder().setText(TEXT)
                .setOptions(SegmentOptions.newBuilder().setIgnoreUserDictionary(true)).build()).getWordsList())
                .extracting(Word::getText).doesNotContain(MINISTRY);
        var batch = SegmentationServiceGrpc.newBlockingStub(as(ministry))
                .segmentBatch(SegmentBatchRequest.newBuilder().addTexts(TEXT).addTexts("ទឹក" + MINISTRY).build());
        assertThat(batch.getResultsList()).allSatisfy(result ->
                assertThat(result.getWordsList()).extracting(Word::getText).contains(MINISTRY));

        DictionaryChange removed = dictionary(ministry).removeDictionaryTerms(remove(MINISTRY));
        assertThat(removed.getChanged()).isEqualTo(1);
        assertThat(removed.getRevision()).isEqualTo(2);
        assertThat(words(ministry, TEXT)).as("applied on this replica at once").doesNotContain(MINISTRY);
    }

    @Test
    void termsAreStoredInCanonicalSpellingOnceAndAddingThemAgainChangesNothing() {
        String ministry = tenant();
        // "district" typed with the vowel before the subscript, then canonically, then with spaces around
        String misOrdered = "ស\u17BB\u17D2\u179Aក";
        String canonical = "ស្រុក";
        assertThat(misOrdered).isNotEqualTo(canonical);
        DictionaryChange first = dictionary(ministry).addDictionaryTerms(add(misOrdered, canonical, " " + canonical + "\t"));
        assertThat(first.getTermsList()).containsExactly(canonical);
        assertThat(first.getChanged()).isEqualTo(1);
        DictionaryChange again = dictionary(ministry).addDictionaryTerms(add(canonical));
        assertThat(again.getChanged()).isZero();
        assertThat(again.getRevision()).as("nothing changed, no new revision").isEqualTo(first.getRevision());
        assertThat(dictionary(ministry).listDictionaryTerms(ListDictionaryTermsRequest.getDefaultInstance()).getTermsList())
                .extracting(DictionaryTerm::getTerm, DictionaryTerm::getAddedBy)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(canonical, "admin-of-" + ministry));
    }

    @Test
    void invalidTermsAreRefusedNamedAndNothingOfTheCallIsKept() {
        String ministry = tenant();
        for (String invalid : List.of("", "Angkor", "អង្គរ វត្ត", "អង្គរ\u200Bវត្ត", "ក".repeat(65), "😀")) {
            assertThatThrownBy(() -> dictionary(ministry).addDictionaryTerms(add("ទឹក", invalid)))
                    .as(invalid).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("\"" + invalid.strip() + "\"");
                    });
        }
        assertThatThrownBy(() -> dictionary(ministry).addDictionaryTerms(AddDictionaryTermsRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> dictionary(ministry).addDictionaryTerms(AddDictionaryTermsRequest.newBuilder()
                .addAllTerms(Collections.nCopies(1_001, "ទឹក")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).contains("1 to 1000 terms"));
        assertThat(dictionary(ministry).listDictionaryTerms(ListDictionaryTermsRequest.getDefaultInstance()).getTotalTerms()).isZero();
    }

    @Test
    void listsEveryTermOnceInPagesInCodePointOrder() {
        String ministry = tenant();
        List<String> terms = new ArrayList<>();
        for (char first = 'ក'; first <= 'អ'; first++) {
            for (char second : "កខគឃងចឆជ".toCharArray()) {
                terms.add("" + first + second);
            }
        }
        dictionary(ministry).addDictionaryTerms(AddDictionaryTermsRequest.newBuilder().addAllTerms(terms.reversed()).build());

        List<String> listed = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListDictionaryTermsResponse page = dictionary(ministry).listDictionaryTerms(
                    ListDictionaryTermsRequest.newBuilder().setPageSize(100).setPageToken(token).build());
            assertThat(page.getTotalTerms()).isEqualTo(terms.size());
            page.getTermsList().forEach(term -> listed.add(term.getTerm()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(listed).containsExactlyElementsOf(terms.stream().sorted().toList());
        assertThat(pages).isEqualTo((terms.size() + 99) / 100);

        for (var bad : List.of(ListDictionaryTermsRequest.newBuilder().setPageSize(1_001).build(),
                ListDictionaryTermsRequest.newBuilder().setPageToken("not base64!").build())) {
            assertThatThrownBy(() -> dictionary(ministry).listDictionaryTerms(bad))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
    }

    @Test
    void managingADictionaryNeedsAnAuthenticatedCaller() {
        assertThatThrownBy(() -> UserDictionaryServiceGrpc.newBlockingStub(anonymous()).addDictionaryTerms(add("ទឹក")))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    private List<String> words(String tenant, String text) {
        return segment(tenant, SegmentRequest.newBuilder().setText(text).build()).getWordsList().stream().map(Word::getText).toList();
    }

    private SegmentResponse segment(String tenant, SegmentRequest request) {
        return SegmentationServiceGrpc.newBlockingStub(as(tenant)).segment(request);
    }

    private UserDictionaryServiceGrpc.UserDictionaryServiceBlockingStub dictionary(String tenant) {
        return UserDictionaryServiceGrpc.newBlockingStub(as(tenant));
    }

    private static AddDictionaryTermsRequest add(String... terms) {
        return AddDictionaryTermsRequest.newBuilder().addAllTerms(List.of(terms)).build();
    }

    private static RemoveDictionaryTermsRequest remove(String... terms) {
        return RemoveDictionaryTermsRequest.newBuilder().addAllTerms(List.of(terms)).build();
    }

    /** A ministry of its own for each test, so that tests never see each other's terms. */
    private static String tenant() {
        return "ministry-" + UUID.randomUUID();
    }
}
