package io.logship.auth;

import java.util.List;
import java.util.regex.Pattern;

/** Who is calling, as the token says: the tenant decides index names, so it comes from the token only. */
public record Tenant(String id, List<String> roles) {

    /** A tenant id becomes part of an Elasticsearch index name. */
    public static final Pattern VALID_ID = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");

    public boolean isAdmin() {
        return roles.contains("admin");
    }
}
