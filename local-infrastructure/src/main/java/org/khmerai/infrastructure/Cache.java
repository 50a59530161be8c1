package org.khmerai.infrastructure;

import java.nio.file.Path;
import java.util.Optional;

/** Where unpacked distributions are kept between runs: {@code KHMER_AI_CACHE}, else {@code ~/.cache/khmer-ai}. */
public final class Cache {

    private Cache() {
    }

    public static Path folder() {
        return Optional.ofNullable(System.getenv("KHMER_AI_CACHE")).map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache", "khmer-ai"));
    }
}
