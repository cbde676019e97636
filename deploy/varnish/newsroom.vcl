#
# Varnish in front of N Newsroom CMS processes (Debian's varnish 7.1 + varnish-modules for xkey).
#
#   varnishd -a :80 -f /etc/varnish/newsroom.vcl -p vcl_path=/etc/varnish/site:/etc/varnish -s malloc,1G
#
# What differs per deployment lives in backends.vcl, found through vcl_path (this folder's copy is
# an example): the backends with their health probe on /api/health, the director `newsroom` they
# form, and the `purgers` ACL of the addresses allowed to purge.
#
# Caches public GET/HEAD of the content API, feeds and sitemaps (/api/...) and GraphQL GETs
# (/graphql?query=… and persisted queries) for as long as the CMS's Cache-Control says (s-maxage,
# then stale-while-revalidate as grace); never a request with Authorization or a cookie, never
# /admin or any other path, never a GraphQL POST, nor a GraphQL GET without the header Apollo's
# CSRF prevention asks for (the CMS refuses it), never an error other than 404. Each object is
# tagged with the answer's Surrogate-Key (xkey); the CMS's purge targets send `PURGE` with
# `xkey-purge: <tags>` when content changes (docs/operations.md: An edge cache).
#
vcl 4.1;

import std;
import xkey;

include "backends.vcl";

sub vcl_recv {
    set req.backend_hint = newsroom.backend();

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed to purge"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header naming the tags"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged));
    }

    # Only reads of the public API are cached.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/graphql\?") {
        # Apollo runs a GET only with a content-type a browser cannot send cross-site without a
        # preflight, or with one of its preflight headers; the rest is its 400, from the CMS.
        if (!((req.http.Content-Type && req.http.Content-Type !~ "(?i)^\s*(text/plain|application/x-www-form-urlencoded|multipart/form-data)\s*(;|$)")
              || req.http.apollo-require-preflight || req.http.x-apollo-operation-name)) {
            return (pass);
        }
    } else if (req.url !~ "^/api/" || req.url ~ "^/api/health") {
        return (pass);
    }
    # Anything personal goes to the CMS untouched.
    if (req.http.Authorization || req.http.Cookie) {
        return (pass);
    }
    return (hash);
}

# A GraphQL answer differs by whether Accept asks for application/graphql-response+json.
sub vcl_hash {
    if (req.url ~ "^/graphql\?" && req.http.Accept ~ "(?i)application/graphql-response\+json") {
        hash_data("graphql-response+json");
    }
}

sub vcl_backend_response {
    # Errors are not kept, except a 404 (a slug never known), for as long as the CMS says.
    if (beresp.status >= 400 && beresp.status != 404) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    if (beresp.http.Set-Cookie || !beresp.http.Cache-Control || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Purged by tag: the CMS's Surrogate-Key, as xkey reads it.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
}

sub vcl_backend_error {
    # A process stopping (before its probe has failed) or restarting: try the next one.
    if (bereq.retries < 2) {
        return (retry);
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
