package org.khmerai.platform.paging;

import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.khmerai.platform.error.GrpcErrors;
import org.khmerai.platform.error.PlatformError;

/**
 * The pages of a list method: {@code page_size} checked against the method's bounds, and page
 * tokens that are opaque to callers (the sort key of the last item they saw, base64url).
 */
public record Paging(int defaultSize, int maxSize) {

    /** The page size to use; 0 (absent) is the default. */
    public int size(int requested) {
        if (requested < 0 || requested > maxSize) {
            throw GrpcErrors.exception(PlatformError.INVALID_ARGUMENT,
                    "page_size must be between 1 and " + maxSize + "; got " + requested);
        }
        return requested == 0 ? defaultSize : requested;
    }

    /** The token of the page after the item with this sort key. */
    public static String token(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The sort key a page token carries; empty for the first page. */
    public static Optional<String> after(String pageToken) {
        if (pageToken.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw notIssuedHere();
        }
    }

    /** The sort key a page token carries when the key is a UUID (an event id); empty for the first page. */
    public static Optional<UUID> afterId(String pageToken) {
        try {
            return after(pageToken).map(UUID::fromString);
        } catch (IllegalArgumentException e) {
            throw notIssuedHere();
        }
    }

    /**
     * A page of items fetched with one more than the page size, so that whether another page follows
     * is known without counting.
     */
    public record Page<T>(List<T> items, String nextPageToken) {

        public static <T> Page<T> of(List<T> fetched, int pageSize, Function<T, String> sortKey) {
            return fetched.size() > pageSize
                    ? new Page<>(fetched.subList(0, pageSize), token(sortKey.apply(fetched.get(pageSize - 1))))
                    : new Page<>(fetched, "");
        }
    }

    /** For a token that decodes but does not hold a key of the right form. */
    public static StatusRuntimeException notIssuedHere() {
        return GrpcErrors.exception(PlatformError.INVALID_ARGUMENT, "page_token is not one this service issued");
    }
}
