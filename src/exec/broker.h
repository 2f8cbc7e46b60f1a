/*
 * broker.h -- the Redis broker of the `workers` executor: a connection by
 * URL, a private redis-server for runs that name none, and the offset
 * between this machine's clock and the broker's.
 *
 * URLs: redis://HOST:PORT (PORT defaults to 6379) or unix:///PATH/TO/SOCKET.
 */
#ifndef CONCTUI_BROKER_H
#define CONCTUI_BROKER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BROKER_URL_MAX 160

struct broker; /* a connection: one thread uses it at a time */

/* Connects to URL within TIMEOUT_MS; NULL with a message in ERR. */
struct broker *broker_connect(const char *url, int timeout_ms, char *err, size_t errlen);
void broker_close(struct broker *b);
/* Whether the last command lost the connection (the broker is gone). */
int broker_lost(const struct broker *b);
/* The connection's last error in words ("" when none). */
const char *broker_error(const struct broker *b);

/*
 * Runs a command (hiredis format: %s a string, %b bytes + length, %d an
 * int) and returns its reply (free it with broker_free), or NULL when the
 * connection failed; an error reply is returned as a reply.
 */
void *broker_command(struct broker *b, const char *fmt, ...);
void broker_free(void *reply);
/* Queues a command without waiting (a pipeline); broker_pipeline_end reads N replies. */
int broker_append(struct broker *b, const char *fmt, ...);
int broker_pipeline_end(struct broker *b, int n);
/* Runs a command and says whether it succeeded (not an error reply); 0 or -1. */
int broker_ok(struct broker *b, const char *fmt, ...);

/* The integer FIELD of the INFO SECTION ("clients", "blocked_clients"), or -1. */
long long broker_info(struct broker *b, const char *section, const char *field);

/*
 * The broker's clock minus this machine's monotonic clock, in ns, from
 * the round trip of ROUNDS `TIME` commands: the fastest one is kept, and
 * half of it is the uncertainty.  0 or -1.
 */
int broker_clock_offset(struct broker *b, int rounds, int64_t *offset_ns, uint64_t *uncertainty_ns);

/* A private redis-server: a unix socket in a private directory, no persistence. */
struct broker_server {
	pid_t pid;		  /* 0 when none runs */
	char dir[64];		  /* the private directory, $TMPDIR/conctui-broker-PID-XXXXXX */
	char url[BROKER_URL_MAX]; /* unix://DIR/redis.sock */
};

/*
 * Starts redis-server and waits until it answers; 0, or -1 with a message
 * (redis-server missing, or it did not come up).  It dies with the thread
 * that started it, whatever happens to this process.  First it removes the
 * directories that private servers of killed processes left behind.
 */
int broker_server_start(struct broker_server *s, char *err, size_t errlen);
/* Stops it (SIGTERM, then SIGKILL) and removes its directory. */
void broker_server_stop(struct broker_server *s);

#endif
