package org.khmerai.audit.retention;

import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Purges the stored text of calls older than their ministry's retention period. Only the text
 * columns go: the record, its hashes and the stored event (which holds the text's hash) stay, so
 * the chain still verifies and shows that there was text and when it was purged.
 */
public final class ContentRetention {

    private static final int BATCH = 5_000;
    private static final String PURGE = """
            with due as (
                select e.id from audit_event e join audit_policy p on p.tenant = e.tenant
                where p.content_retention_days > 0 and e.content_purged_at is null
                  and (e.input_text is not null or e.output_text is not null)
                  and e.occurred_at < ?::timestamptz - make_interval(days => p.content_retention_days)
                limit ?)
            update audit_event set input_text = null, output_text = null, content_purged_at = clock_timestamp()
            where id in (select id from due)""";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ContentRetention(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Purges everything due, a batch per transaction; returns how many records lost their text. */
    public long purge() {
        Timestamp now = Timestamp.from(clock.instant());
        long purged = 0;
        int round;
        do {
            round = jdbc.update(PURGE, now, BATCH);
            purged += round;
        } while (round == BATCH);
        return purged;
    }
}
