package dev.keygate.cli.command;

import dev.keygate.cli.CliContext;
import dev.keygate.cli.ExitCodes;
import dev.keygate.client.CreateTokenRequest;
import dev.keygate.client.CreatedToken;
import dev.keygate.client.KeygateClient;
import dev.keygate.client.RateLimit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.List;

/**
 * {@code keygate token create --principal P --role R [--role R2] [--name N] [--env E]
 * [--ttl 24h | --expires-at T | --permanent] [--child] [--rotate-every 30d] [--max-uses N] [--rate-limit 100/1m]
 * [--allow-cidr CIDR]... [--metadata K=V... | --metadata-json JSON]}. The secret is printed once: in human mode
 * alone on stdout (the description goes to stderr), so that {@code keygate token create ... > file} captures
 * only the secret; with {@code --json}, the server's full JSON.
 */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = {
            "Create a token and print its secret, once. Needs keygate.tokens:create, and permissions covering "
                    + "every role given (or keygate.roles:bind).",
            "The secret alone goes to stdout, the rest to stderr: 'keygate token create ... > token.txt' "
                    + "captures only the secret. With --json, stdout gets the full JSON, secret included."},
        footerHeading = ExitCodes.HEADING,
        footer = {ExitCodes.LINE_OK, ExitCodes.LINE_ERROR, ExitCodes.LINE_USAGE,
            ExitCodes.ENV_HEADING, ExitCodes.ENV_URL, ExitCodes.ENV_TOKEN})
public final class TokenCreateCommand extends AdminCommand {

    @Option(names = "--principal", required = true, paramLabel = "NAME", description = "Who the token is for.")
    private String principal;

    @Option(names = "--role", required = true, paramLabel = "ROLE",
            description = "A role the token holds. Repeat for more (up to 20).")
    private List<String> roles;

    @Option(names = "--name", paramLabel = "TEXT", description = "A name for people, e.g. ci-deploy.")
    private String name;

    @Option(names = "--env", paramLabel = "ENV", description = "The token's environment. Default: live.")
    private String environment;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Lifetime lifetime;

    @Option(names = "--child",
            description = "Mint it as a child of the token in KEYGATE_TOKEN: never more permissions than that "
                    + "token's own, never outliving it, revoked with it.")
    private boolean child;

    @Option(names = "--rotate-every", paramLabel = "DURATION", converter = Converters.Lifetime.class,
            description = "How often it should be rotated (e.g. 30d); once due, 'token list --rotation-due' lists it.")
    private String rotateEvery;

    @Option(names = "--max-uses", paramLabel = "N", converter = Converters.Uses.class,
            description = "How many uses it may be verified for; each verification spends its cost (1 unless "
                    + "'verify --cost' says otherwise). Then verify answers USAGE_EXCEEDED. Default: unlimited.")
    private Long maxUses;

    @Option(names = "--rate-limit", paramLabel = "N/WINDOW", converter = Converters.Rate.class,
            description = "At most N verifications per window, e.g. 100/1m (window 1s to 1d); over it verify answers "
                    + "RATE_LIMITED with a retry time. Each server node counts on its own. Default: unlimited.")
    private RateLimit rateLimit;

    @Option(names = "--allow-cidr", paramLabel = "CIDR", converter = Converters.Network.class,
            description = "A network it may be used from: 10.0.0.0/8, 2001:db8::/32, or one address. Repeat for more "
                    + "(up to 100). Verification then needs the caller's address ('verify --ip') inside one of "
                    + "them, else answers IP_NOT_ALLOWED. Default: anywhere.")
    private List<String> allowedCidrs;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private KeyValueOptions.Metadata metadata;

    /** At most one of the ways to say when the token expires. */
    static final class Lifetime {
        @Option(names = "--ttl", paramLabel = "TTL", converter = Converters.Lifetime.class,
                description = "Lifetime: 90s, 30m, 24h, 7d. Default: the server's (24h).")
        String ttl;

        @Option(names = "--expires-at", paramLabel = "TIME", converter = Converters.RfcTime.class,
                description = "Expiry time, RFC 3339, e.g. 2026-12-31T00:00:00Z.")
        Instant expiresAt;

        @Option(names = "--permanent",
                description = "Never expires. Needs a server started with --allow-permanent-tokens and "
                        + "keygate.tokens:create-permanent; refused under a role with a max ttl.")
        boolean permanent;
    }

    public TokenCreateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(KeygateClient client) {
        Lifetime life = lifetime == null ? new Lifetime() : lifetime;
        CreateTokenRequest request = CreateTokenRequest.builder()
                .principal(principal)
                .roles(roles)
                .name(name)
                .environment(environment)
                .ttl(life.ttl)
                .expiresAt(life.expiresAt)
                .permanent(life.permanent)
                .child(child)
                .rotateEvery(rotateEvery)
                .maxUses(maxUses)
                .rateLimit(rateLimit)
                .allowedCidrs(allowedCidrs == null ? List.of() : allowedCidrs)
                .metadata(KeyValueOptions.values(metadata))
                .build();
        CreatedToken created = client.createToken(request);
        printCreated(created, "Created " + Views.summary(created.token()) + ".");
        return ExitCodes.OK;
    }
}
