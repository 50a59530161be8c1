package org.khmerai.translation.resources;

import static org.khmerai.platform.error.GrpcErrors.invalid;

import java.util.List;
import java.util.function.Supplier;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;
import org.khmerai.platform.paging.Paging;
import org.khmerai.translation.Languages;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/** What the language resources' APIs check alike: the language pair, the size of a call, a store that is down. */
@Component
public class ResourceCalls {

    static final int MAX_ENTRIES_PER_CALL = 500;
    static final Paging PAGING = new Paging(200, 1_000);

    private final Languages languages;

    public ResourceCalls(Languages languages) {
        this.languages = languages;
    }

    LanguagePair pair(String sourceLanguage, String targetLanguage) {
        LanguagePair pair = new LanguagePair(languages.require(sourceLanguage, "source_language"),
                languages.require(targetLanguage, "target_language"));
        if (pair.source().equals(pair.target())) {
            throw invalid("source_language and target_language are the same: " + pair.source().code());
        }
        return pair;
    }

    static void checkCount(int count) {
        if (count == 0 || count > MAX_ENTRIES_PER_CALL) {
            throw invalid("a call carries 1 to " + MAX_ENTRIES_PER_CALL + " entries; this one has " + count);
        }
    }

    /** @param what "source" or "target", for the message */
    static String checked(String text, String what, int maxChars) {
        String stripped = text.strip();
        if (stripped.isEmpty() || stripped.length() > maxChars) {
            throw invalid("each " + what + " has 1 to " + maxChars + " characters besides spaces at its ends; got \"" + text + "\"");
        }
        return stripped;
    }

    /** The next page's token, when the store gave more than a page. */
    static String nextPageToken(List<ResourceEntry> fetched, int pageSize) {
        return fetched.size() > pageSize ? Paging.token(fetched.get(pageSize - 1).key()) : "";
    }

    /** A store that cannot be reached is the service being unavailable, not the caller's mistake. */
    public static <T> T stored(Supplier<T> work) {
        try {
            return work.get();
        } catch (ResourceStore.ResourceFull full) {
            throw invalid(full.getMessage());
        } catch (ResourceStore.Missing missing) {
            throw GrpcErrors.exception(PlatformError.NOT_FOUND, "no translation of \"" + missing.source()
                    + "\" awaits approval in this language pair; nothing was approved");
        } catch (DataAccessException e) {
            throw GrpcErrors.exception(PlatformError.SERVICE_UNAVAILABLE, "the glossary and memory store cannot be reached; try again later");
        }
    }
}
