/*
 * observe_out.c -- the observed program's stdout and stderr, read from
 * their pipes between samples and cut into lines, each kept with the time
 * it arrived on the lane of the program's main thread.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "observe_priv.h"

static void emit(struct observer *ob, uint64_t now, const char *text)
{
	trace_print(ob->tr, 0, now, text);
}

/* Cuts what arrived on S into lines; a line longer than the buffer is cut too. */
static void take(struct observer *ob, struct obs_stream *s, const char *data, size_t n,
		 uint64_t now)
{
	for (size_t i = 0; i < n; i++) {
		if (data[i] != '\n' && s->len < sizeof s->buf - 1) {
			s->buf[s->len++] = data[i];
			continue;
		}
		s->buf[s->len] = '\0';
		emit(ob, now, s->buf);
		s->len = 0;
		if (data[i] != '\n')
			s->buf[s->len++] = data[i];
	}
}

static void drain(struct observer *ob, struct obs_stream *s, uint64_t now)
{
	char buf[4096];
	ssize_t n = read(s->fd, buf, sizeof buf);

	if (n > 0) {
		take(ob, s, buf, (size_t)n, now);
		return;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	/* The program closed it (or ended): a last unterminated line still counts. */
	if (s->len > 0) {
		s->buf[s->len] = '\0';
		emit(ob, now, s->buf);
		s->len = 0;
	}
	close(s->fd);
	s->fd = -1;
}

void obs_read_output(struct observer *ob, uint64_t deadline)
{
	/* Bounded: a program that writes without pause must not stop the sampling. */
	for (int round = 0; round < 64; round++) {
		struct pollfd p[2];
		int n = 0, map[2];
		for (int i = 0; i < 2; i++)
			if (ob->out[i].fd >= 0) {
				p[n] = (struct pollfd){.fd = ob->out[i].fd, .events = POLLIN};
				map[n++] = i;
			}
		uint64_t now = clock_now_ns();
		if (now >= deadline && n == 0)
			return;
		uint64_t left = deadline > now ? deadline - now : 0;
		struct timespec ts = {(time_t)(left / 1000000000u), (long)(left % 1000000000u)};
		int ready = ppoll(p, (nfds_t)n, &ts, NULL);
		if (ready <= 0)
			return;
		now = clock_now_ns();
		for (int i = 0; i < n; i++)
			if (p[i].revents)
				drain(ob, &ob->out[map[i]], now);
	}
}
