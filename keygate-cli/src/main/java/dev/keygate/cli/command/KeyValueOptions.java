package dev.keygate.cli.command;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Option groups that give a JSON object in one of two ways, not both: repeated {@code --x KEY=VALUE} (string
 * values, simple to type) or {@code --x-json JSON} (any JSON object: numbers, lists, nested objects). Use one as an
 * exclusive {@code @ArgGroup} with multiplicity {@code 0..1}, so that picocli refuses both (exit 2).
 */
final class KeyValueOptions {

    private KeyValueOptions() {
    }

    /** {@code token create --metadata KEY=VALUE... | --metadata-json JSON}. */
    static final class Metadata {
        @Option(names = "--metadata", paramLabel = "KEY=VALUE",
                description = "Metadata for the token, shown with it and kept by rotation, e.g. team=billing. Repeat "
                        + "for more; values are strings.")
        Map<String, String> pairs;

        @Option(names = "--metadata-json", paramLabel = "JSON", converter = Converters.JsonObject.class,
                description = "The token's metadata as a JSON object of at most 4 KiB, e.g. "
                        + "'{\"team\":\"billing\",\"tier\":2}'. Not with --metadata.")
        Converters.JsonObjectValue json;
    }

    /** {@code verify|explain --resource KEY=VALUE... | --resource-json JSON}. */
    static final class Resource {
        @Option(names = "--resource", paramLabel = "KEY=VALUE",
                description = "An attribute of the resource the request is for, which grant conditions read as "
                        + "resource.KEY, e.g. owner=billing-svc. Repeat for more; values are strings.")
        Map<String, String> pairs;

        @Option(names = "--resource-json", paramLabel = "JSON", converter = Converters.JsonObject.class,
                description = "The resource's attributes as a JSON object, e.g. '{\"owner\":\"billing-svc\","
                        + "\"amount\":120}'. Not with --resource.")
        Converters.JsonObjectValue json;
    }

    /** The object {@code group} gives, or {@code null} when it was not used. */
    static Map<String, Object> values(Metadata group) {
        return group == null ? null : values(group.pairs, group.json);
    }

    /** The object {@code group} gives, or {@code null} when it was not used. */
    static Map<String, Object> values(Resource group) {
        return group == null ? null : values(group.pairs, group.json);
    }

    private static Map<String, Object> values(Map<String, String> pairs, Converters.JsonObjectValue json) {
        if (json != null) {
            return json.values();
        }
        return pairs == null ? null : new LinkedHashMap<>(pairs);
    }
}
