package org.khmerai.translation.resources;

import java.time.Instant;

/**
 * One entry of a ministry's language resource: a glossary term or an approved sentence.
 *
 * @param key    the source as it is matched (canonical spelling; for sentences, spaces collapsed)
 * @param source the source as it was given
 */
public record ResourceEntry(String key, String source, String target, String updatedBy, Instant updatedAt) {
}
