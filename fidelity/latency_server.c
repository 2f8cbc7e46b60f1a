/*
 * latency_server.c -- conctui's own latency server, alone, for make
 * fidelity: the Python programs' requests go to the same C server that
 * conctui's runs use, so the two sides differ only in the client.
 *
 * Prints the port on a line of its own, then serves until its standard
 * input closes (the driver ends, however it ends).
 */
#include <stdio.h>
#include <unistd.h>

#include "latency.h"

int main(void)
{
	char err[256], buf[64];

	int port = latency_start(err, sizeof err);

	if (port < 0) {
		fprintf(stderr, "latency_server: %s\n", err);
		return 2;
	}
	printf("%d\n", port);
	fflush(stdout);
	while (read(STDIN_FILENO, buf, sizeof buf) > 0)
		;
	latency_stop();
	return 0;
}
