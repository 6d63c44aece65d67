package dev.keygate.server.alert;

import dev.keygate.core.net.IpAddresses;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Parses and checks the {@code NAME=URL} webhook entries of {@code --alert-webhook} and
 * {@code KEYGATE_ALERT_WEBHOOKS}, with each secret from the environment. A problem never quotes a secret, a URL's
 * credentials or its query string.
 */
final class WebhookSpecs {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private final Function<String, String> environment;

    WebhookSpecs(Function<String, String> environment) {
        this.environment = environment;
    }

    /**
     * The webhooks of {@code webhookFlags}, or when there are none of {@code webhooksVariable} (entries separated by
     * commas or white space), in order; each problem is added to {@code problems}.
     */
    List<AlertConfig.Webhook> parse(List<String> webhookFlags, String webhooksVariable, boolean allowHttp,
                                    List<String> problems) {
        String flag = "--alert-webhook";
        String env = "KEYGATE_ALERT_WEBHOOKS";
        List<String> specs = new ArrayList<>(webhookFlags);
        if (webhookFlags.isEmpty() && webhooksVariable != null && !webhooksVariable.isBlank()) {
            for (String s : webhooksVariable.strip().split("[,\\s]+")) {
                specs.add(s);
            }
        }
        Map<String, AlertConfig.Webhook> byName = new LinkedHashMap<>();
        Map<String, String> byVariable = new HashMap<>();
        for (String spec : specs) {
            AlertConfig.Webhook w = webhook(spec, allowHttp, flag, env, problems);
            if (w == null) {
                continue;
            }
            String variable = AlertConfig.secretVariable(w.name());
            String clash = byVariable.putIfAbsent(variable, w.name());
            if (byName.containsKey(w.name())) {
                problems.add(flag + " (" + env + "): webhook '" + w.name() + "' is configured twice");
            } else if (clash != null) {
                problems.add(flag + " (" + env + "): webhooks '" + clash + "' and '" + w.name()
                        + "' would share the secret variable " + variable + "; rename one");
            } else {
                byName.put(w.name(), w);
            }
        }
        return List.copyOf(byName.values());
    }

    /** One {@code NAME=URL}, checked; null (and a problem) when it is not acceptable. */
    private AlertConfig.Webhook webhook(String spec, boolean allowHttp, String flag, String env, List<String> problems) {
        int eq = spec.indexOf('=');
        String prefix = flag + " (" + env + "): ";
        if (eq < 0) {
            problems.add(prefix + "'" + redactUrlText(spec) + "' is not NAME=URL (e.g. "
                    + "ops=https://hooks.example.com/keygate)");
            return null;
        }
        String name = spec.substring(0, eq);
        String text = spec.substring(eq + 1);
        if (!NAME.matcher(name).matches()) {
            problems.add(prefix + "webhook name '" + quote(name) + "' must match [a-z0-9][a-z0-9_-]{0,31}");
            return null;
        }
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            problems.add(prefix + "webhook '" + name + "': '" + redactUrlText(text) + "' is not a valid URL");
            return null;
        }
        String where = prefix + "webhook '" + name + "': '" + display(url) + "' ";
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            problems.add(where + "must be an http or https URL");
            return null;
        }
        if (url.getRawUserInfo() != null) {
            problems.add(prefix + "webhook '" + name + "': the URL must not hold credentials (user:password@); "
                    + "deliveries are authenticated by their signature");
            return null;
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            problems.add(where + "has no host");
            return null;
        }
        if (url.getRawFragment() != null) {
            problems.add(where + "must not have a fragment (#...)");
            return null;
        }
        if (scheme.equals("http") && !allowHttp && !isLoopback(url.getHost())) {
            problems.add(where + "must use https (plain http is allowed to loopback only, unless "
                    + "--alert-webhook-allow-http)");
            return null;
        }
        String variable = AlertConfig.secretVariable(name);
        String secret = environment.apply(variable);
        if (secret == null || secret.isEmpty()) {
            problems.add(prefix + "webhook '" + name + "' has no secret: set " + variable
                    + " (at least " + AlertConfig.MIN_SECRET_LENGTH + " characters) in the environment");
            return null;
        }
        if (secret.length() < AlertConfig.MIN_SECRET_LENGTH) {
            problems.add(variable + ": the secret of webhook '" + name + "' must be at least "
                    + AlertConfig.MIN_SECRET_LENGTH + " characters long");
            return null;
        }
        return new AlertConfig.Webhook(name, url, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code host} is {@code localhost} or a loopback address literal (no name is resolved). */
    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        byte[] address;
        try {
            address = IpAddresses.parse(h);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (address.length == 4) {
            return address[0] == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[15] == 1;
    }

    /** URL text (or a {@code NAME=URL} that is not one) cut at its query string, with any user info masked. */
    private static String redactUrlText(String text) {
        String t = text;
        int q = t.indexOf('?');
        if (q >= 0) {
            t = t.substring(0, q) + "?…";
        }
        int at = t.indexOf('@');
        if (at >= 0) {
            int scheme = t.indexOf("://");
            t = (scheme >= 0 && scheme < at ? t.substring(0, scheme + 3) : "") + "***@" + t.substring(at + 1);
        }
        return quote(t);
    }

    /** {@code scheme://host[:port]/path}: no credentials, no query string, no fragment. */
    static String display(URI url) {
        StringBuilder b = new StringBuilder();
        if (url.getScheme() != null) {
            b.append(url.getScheme()).append("://");
        }
        if (url.getHost() != null) {
            b.append(url.getHost());
        }
        if (url.getPort() >= 0) {
            b.append(':').append(url.getPort());
        }
        if (url.getRawPath() != null) {
            b.append(url.getRawPath());
        }
        if (url.getRawQuery() != null) {
            b.append("?…");
        }
        return b.toString();
    }

    /** Operator input made fit for a message: printable ASCII (and the ellipsis), at most 200 characters. */
    static String quote(String text) {
        int n = Math.min(text.length(), 200);
        StringBuilder b = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f || c == '…' ? c : '?');
        }
        return text.length() > n ? b.append("...").toString() : b.toString();
    }
}
