package dev.keygate.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keygate.core.error.FieldErrors;
import dev.keygate.core.error.ValidationException;
import dev.keygate.core.role.Role;
import dev.keygate.server.auth.AdminPermissions;
import dev.keygate.server.role.RoleRequest;
import dev.keygate.server.role.RoleService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a policy file ({@code docs/policy-as-code.md}): {@code {"version": 1, "roles": [...]}}, each role as
 * {@code POST /v1/roles} takes it. A field left out means its default (no description, no {@code max_ttl}, every
 * environment), not "keep". Every problem of the whole file is reported at once, each under its path in the file
 * ({@code roles[3].grants[1].condition}): the shape (unknown fields, wrong types) here, the content by
 * {@link RoleService#validate}, the very checks a single role gets.
 */
final class PolicyFile {

    private static final int VERSION = PolicyService.FILE_VERSION;

    private static final Set<String> FILE_FIELDS = Set.of("version", "roles");
    private static final Set<String> ROLE_FIELDS =
            Set.of("name", "description", "permissions", "grants", "max_ttl", "environments");
    private static final Set<String> GRANT_FIELDS = Set.of("permission", "effect", "condition");

    private PolicyFile() {
    }

    /**
     * The roles {@code file} describes, by name in the file's order, as they would be created at {@code now}.
     *
     * @throws ValidationException naming every problem of the file
     */
    static Map<String, Role> read(JsonNode file, Instant now) {
        FieldErrors errors = new FieldErrors();
        if (file == null || !file.isObject()) {
            throw new ValidationException("body", "must be a policy file: an object with version and roles");
        }
        unknownFields(errors, file, FILE_FIELDS, "");
        JsonNode version = file.get("version");
        if (version == null || version.isNull()) {
            errors.add("version", "is required (" + VERSION + ")");
        } else if (!version.isIntegralNumber() || version.asLong() != VERSION) {
            errors.add("version", "must be " + VERSION + ", the only version of the policy file format");
        }
        JsonNode roles = file.get("roles");
        Map<String, Role> wanted = new LinkedHashMap<>();
        if (roles == null || roles.isNull()) {
            errors.add("roles", "is required: the list of roles (an empty list removes every role)");
        } else if (!roles.isArray()) {
            errors.add("roles", "must be a list of roles");
        } else {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < roles.size(); i++) {
                String path = "roles[" + i + "]";
                JsonNode name = roles.get(i).path("name");
                Integer first = name.isTextual() ? seen.putIfAbsent(name.textValue(), i) : null;
                if (first != null) {
                    errors.add(path + ".name", "'" + name.textValue() + "' is named already by roles[" + first + "]");
                }
                Role role = role(errors, path, roles.get(i), now);
                if (role != null && first == null) {
                    wanted.put(role.name(), role);
                }
            }
        }
        errors.throwIfAny();
        return wanted;
    }

    /** One role of the file, or {@code null} (with its errors added) when it is invalid. */
    private static Role role(FieldErrors errors, String path, JsonNode node, Instant now) {
        if (!node.isObject()) {
            errors.add(path, "must be a role: an object with name and permissions or grants");
            return null;
        }
        // Unknown fields do not stop the checks of the known ones, so that a typo and a bad value show together.
        unknownFields(errors, node, ROLE_FIELDS, path + ".");
        FieldErrors shape = new FieldErrors();
        String name = text(shape, path + ".name", node.get("name"));
        String description = text(shape, path + ".description", node.get("description"));
        List<String> permissions = texts(shape, path + ".permissions", node.get("permissions"));
        List<RoleRequest.GrantRequest> grants = grants(shape, errors, path + ".grants", node.get("grants"));
        String maxTtl = text(shape, path + ".max_ttl", node.get("max_ttl"));
        List<String> environments = texts(shape, path + ".environments", node.get("environments"));
        if (!shape.isEmpty()) {
            // A value of the wrong type would only add misleading errors to the checks of its role.
            copy(shape, errors, "");
            return null;
        }
        if (AdminPermissions.ADMIN_ROLE.equals(name)) {
            errors.add(path + ".name", "'" + name + "' is Keygate's built-in role: policy files do not manage it "
                    + "(it is left as it is; remove it from the file)");
            return null;
        }
        try {
            return RoleService.validate(new RoleRequest(name, description, permissions, grants, maxTtl,
                    environments), true).create(now);
        } catch (ValidationException e) {
            copy(e, errors, path + ".");
            return null;
        }
    }

    /** Adds the errors collected in {@code from} to {@code to}. */
    private static void copy(FieldErrors from, FieldErrors to, String prefix) {
        try {
            from.throwIfAny();
        } catch (ValidationException e) {
            copy(e, to, prefix);
        }
    }

    /** Adds the errors of {@code e} to {@code to}, their fields under {@code prefix}. */
    private static void copy(ValidationException e, FieldErrors to, String prefix) {
        for (ValidationException.FieldError error : e.errors()) {
            to.add(prefix + error.field(), error.message());
        }
    }

    private static List<RoleRequest.GrantRequest> grants(FieldErrors shape, FieldErrors errors, String path,
                                                         JsonNode node) {
        if (absent(node)) {
            return null;
        }
        if (!node.isArray()) {
            shape.add(path, "must be a list of grants");
            return null;
        }
        List<RoleRequest.GrantRequest> grants = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode g = node.get(i);
            if (!g.isObject()) {
                shape.add(at, "must be a grant: an object with permission, effect and, if needed, condition");
                continue;
            }
            unknownFields(errors, g, GRANT_FIELDS, at + ".");
            grants.add(new RoleRequest.GrantRequest(text(shape, at + ".permission", g.get("permission")),
                    text(shape, at + ".effect", g.get("effect")), text(shape, at + ".condition", g.get("condition"))));
        }
        return grants;
    }

    /** A string field, or {@code null} when it is absent (or null); a value of another type is an error. */
    private static String text(FieldErrors errors, String path, JsonNode node) {
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            // Files are mostly YAML, which reads some unquoted words as booleans and digits as numbers.
            errors.add(path, node.isBoolean() ? "must be a string, not a boolean (in YAML, quote yes, no, on, off, "
                    + "true and false)" : node.isNumber() ? "must be a string, not a number (quote it: \""
                    + node.asText() + "\")" : "must be a string");
            return null;
        }
        return node.textValue();
    }

    private static List<String> texts(FieldErrors errors, String path, JsonNode node) {
        if (absent(node)) {
            return null;
        }
        if (!node.isArray()) {
            errors.add(path, "must be a list of strings");
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (node.get(i).isNull()) {
                errors.add(path + "[" + i + "]", "must be a string");
            } else {
                String value = text(errors, path + "[" + i + "]", node.get(i));
                if (value != null) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    /** JSON {@code null} counts as absent: YAML writes a key with no value ({@code description:}) so. */
    private static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static void unknownFields(FieldErrors errors, JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(prefix + name, "is not a known field (known: " + String.join(", ", sorted(known)) + ")");
            }
        }
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
