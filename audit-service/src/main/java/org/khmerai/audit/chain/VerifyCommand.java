package org.khmerai.audit.chain;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.khmerai.audit.chain.ChainVerifier.Verification;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@code ./khmer-ai audit verify --tenant T}: an operator's check of one ministry's chain, straight
 * against the audit database. Prints one line; exits 0 when the chain holds, 1 when it does not,
 * 2 when it could not be checked.
 *
 * <p>{@code VerifyCommand --tenant T [--jdbc-url URL] [--user U] [--key FILE] [--trust KEY_ID]...};
 * the password comes from {@code KHMER_AI_AUDIT_DB_PASSWORD}.
 */
public final class VerifyCommand {

    private VerifyCommand() {
    }

    public static void main(String[] args) {
        String tenant = null;
        String url = "jdbc:postgresql://127.0.0.1:5432/khmer_ai_audit";
        String user = "postgres";
        Path key = Path.of(".khmer-ai", "data", "audit", "checkpoint.key");
        Set<String> trusted = new HashSet<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--tenant" -> tenant = args[i + 1];
                case "--jdbc-url" -> url = args[i + 1];
                case "--user" -> user = args[i + 1];
                case "--key" -> key = Path.of(args[i + 1]);
                case "--trust" -> trusted.add(args[i + 1]);
                default -> fail("unknown option " + args[i]);
            }
        }
        if (tenant == null || args.length % 2 != 0) {
            fail("usage: audit verify --tenant TENANT [--jdbc-url URL] [--user USER] [--key FILE] [--trust KEY_ID]...");
        }
        try {
            trusted.add(CheckpointKey.load(key).id());
            // the local stack's database password unless told otherwise: a local-development default
            String password = System.getenv().getOrDefault("KHMER_AI_AUDIT_DB_PASSWORD", "postgres");
            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url, user, password));
            Verification verification = new ChainVerifier(jdbc, new Checkpoints(jdbc), trusted).verify(tenant);
            System.out.println(line(verification));
            System.exit(verification.valid() ? 0 : 1);
        } catch (RuntimeException e) {
            fail("could not verify the chain of " + tenant + ": " + e.getMessage());
        }
    }

    static String line(Verification verification) {
        StringBuilder line = new StringBuilder()
                .append("tenant=").append(verification.tenant())
                .append(" valid=").append(verification.valid())
                .append(" records_checked=").append(verification.recordsChecked())
                .append(" head_sequence=").append(verification.headSequence())
                .append(" head_hash=").append(ChainHashes.hex(verification.headHash()))
                .append(" checkpoints=").append(verification.checkpointsChecked());
        verification.lastCheckpoint().ifPresent(time -> line.append(" last_checkpoint=").append(time));
        verification.firstBroken().ifPresent(broken -> line
                .append(" first_broken_sequence=").append(broken.sequence())
                .append(broken.eventId().map(id -> " event_id=" + id).orElse(""))
                .append(" reason=\"").append(broken.reason()).append('"'));
        return line.toString();
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }
}
