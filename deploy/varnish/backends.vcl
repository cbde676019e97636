#
# An example of what newsroom.vcl includes: three CMS processes on this machine, each probed on
# /api/health (a draining process answers 503 there and is out of rotation after two failed probes,
# within SHUTDOWN_GRACE_MS = 3 s), a round-robin director over them, and who may purge.
# Put your own next to it, earlier in vcl_path.
#
import directors;

probe newsroom_health {
    .url = "/api/health";
    .interval = 1s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

backend cms1 { .host = "127.0.0.1"; .port = "1337"; .probe = newsroom_health; }
backend cms2 { .host = "127.0.0.1"; .port = "1338"; .probe = newsroom_health; }
backend cms3 { .host = "127.0.0.1"; .port = "1339"; .probe = newsroom_health; }

sub vcl_init {
    new newsroom = directors.round_robin();
    newsroom.add_backend(cms1);
    newsroom.add_backend(cms2);
    newsroom.add_backend(cms3);
}

# The CMS processes send PURGE from here.
acl purgers {
    "127.0.0.1";
    "::1";
}
