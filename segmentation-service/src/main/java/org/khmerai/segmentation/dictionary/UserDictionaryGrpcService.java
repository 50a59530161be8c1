package org.khmerai.segmentation.dictionary;

import static org.khmerai.platform.error.GrpcErrors.invalid;

import io.grpc.stub.StreamObserver;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.paging.Paging;
import org.khmerai.platform.proto.ProtoTime;
import org.khmerai.platform.security.Caller;
import org.khmerai.segmentation.v1.AddDictionaryTermsRequest;
import org.khmerai.segmentation.v1.DictionaryChange;
import org.khmerai.segmentation.v1.DictionaryTerm;
import org.khmerai.segmentation.v1.ListDictionaryTermsRequest;
import org.khmerai.segmentation.v1.ListDictionaryTermsResponse;
import org.khmerai.segmentation.v1.RemoveDictionaryTermsRequest;
import org.khmerai.segmentation.v1.UserDictionaryServiceGrpc;
import org.khmerai.text.normalize.KhmerNormalizer;
import org.khmerai.text.segment.UserDictionary;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Ministry administrators manage their dictionary here; the tenant is the caller's own, from the
 * verified token. Terms are stored in the canonical spelling, so a term typed mis-ordered is the
 * same term as its repaired form.
 */
@Service
public class UserDictionaryGrpcService extends UserDictionaryServiceGrpc.UserDictionaryServiceImplBase {

    static final int MAX_TERMS_PER_CALL = 1_000;
    static final int MAX_TERMS_PER_DICTIONARY = 20_000;
    private static final Paging PAGING = new Paging(100, 1_000);

    private final DictionaryStore store;
    private final TenantDictionaries dictionaries;
    private final KhmerNormalizer normalizer;

    public UserDictionaryGrpcService(DictionaryStore store, TenantDictionaries dictionaries, KhmerNormalizer normalizer) {
        this.store = store;
        this.dictionaries = dictionaries;
        this.normalizer = normalizer;
    }

    @Override
    public void listDictionaryTerms(ListDictionaryTermsRequest request, StreamObserver<ListDictionaryTermsResponse> response) {
        GrpcErrors.answer(response, () -> {
            String tenant = Caller.required().tenant();
            int pageSize = PAGING.size(request.getPageSize());
            List<DictionaryStore.StoredTerm> terms = stored(() -> store.page(tenant, Paging.after(request.getPageToken()), pageSize + 1));
            ListDictionaryTermsResponse.Builder page = ListDictionaryTermsResponse.newBuilder()
                    .setTotalTerms(stored(() -> store.size(tenant)))
                    .setRevision(stored(() -> store.revision(tenant)));
            for (DictionaryStore.StoredTerm term : terms.subList(0, Math.min(pageSize, terms.size()))) {
                page.addTerms(DictionaryTerm.newBuilder().setTerm(term.term()).setAddedBy(term.addedBy())
                        .setAddTime(ProtoTime.timestamp(term.addedAt())));
            }
            if (terms.size() > pageSize) {
                page.setNextPageToken(Paging.token(terms.get(pageSize - 1).term()));
            }
            return page.build();
        });
    }

    @Override
    public void addDictionaryTerms(AddDictionaryTermsRequest request, StreamObserver<DictionaryChange> response) {
        GrpcErrors.answer(response, () -> {
            Caller caller = Caller.required();
            List<String> terms = canonical(request.getTermsList());
            terms.forEach(UserDictionaryGrpcService::check);
            DictionaryStore.Change change = stored(() -> {
                try {
                    return store.add(caller.tenant(), caller.principal(), terms, MAX_TERMS_PER_DICTIONARY);
                } catch (DictionaryStore.DictionaryFull full) {
                    throw invalid(full.getMessage());
                }
            });
            return changed(caller.tenant(), terms, change);
        });
    }

    @Override
    public void removeDictionaryTerms(RemoveDictionaryTermsRequest request, StreamObserver<DictionaryChange> response) {
        GrpcErrors.answer(response, () -> {
            String tenant = Caller.required().tenant();
            List<String> terms = canonical(request.getTermsList());
            return changed(tenant, terms, stored(() -> store.remove(tenant, terms)));
        });
    }

    private DictionaryChange changed(String tenant, List<String> terms, DictionaryStore.Change change) {
        dictionaries.expire(tenant);
        return DictionaryChange.newBuilder().addAllTerms(terms).setChanged(change.changed()).setRevision(change.revision()).build();
    }

    /** The terms stripped of surrounding white space, in canonical spelling, without repeats. */
    private List<String> canonical(List<String> terms) {
        if (terms.isEmpty() || terms.size() > MAX_TERMS_PER_CALL) {
            throw invalid("a call carries 1 to " + MAX_TERMS_PER_CALL + " terms; this one has " + terms.size());
        }
        Set<String> canonical = new LinkedHashSet<>();
        for (String term : terms) {
            canonical.add(normalizer.normalize(term.strip()).text());
        }
        return List.copyOf(canonical);
    }

    private static void check(String term) {
        try {
            UserDictionary.check(term);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    /** A store that cannot be reached is the service being unavailable, not the caller's mistake. */
    private static <T> T stored(Supplier<T> work) {
        try {
            return work.get();
        } catch (DataAccessException e) {
            throw GrpcErrors.exception(PlatformError.SERVICE_UNAVAILABLE, "the dictionary store cannot be reached; try again later");
        }
    }
}
